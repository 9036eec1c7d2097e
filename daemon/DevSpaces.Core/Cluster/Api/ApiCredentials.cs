using System.Net.Http.Headers;
using System.Text;

namespace DevSpaces.Core.Cluster.Api;

/// <summary>
/// The Authorization header of each request, as <see cref="ClusterAccess"/> chose it from the kubeconfig's user: a
/// source asked on every request (credential plugins, token files, auth providers: so a refreshed token is used), a
/// static bearer token, or a user name and password; none for a user that authenticates with a client certificate alone.
/// </summary>
public sealed class ApiCredentials
{
    private readonly Func<CancellationToken, Task<AuthenticationHeaderValue?>>? source;
    private readonly AuthenticationHeaderValue? fixedHeader;

    private ApiCredentials(Func<CancellationToken, Task<AuthenticationHeaderValue?>>? source, AuthenticationHeaderValue? fixedHeader)
    {
        this.source = source;
        this.fixedHeader = fixedHeader;
    }

    /// <summary>No Authorization header.</summary>
    public static ApiCredentials None { get; } = new(null, null);

    /// <summary>Whether a request carries an Authorization header at all.</summary>
    public bool IsNone => source == null && fixedHeader == null;

    public static ApiCredentials Bearer(string token) => new(null, new AuthenticationHeaderValue("Bearer", token));

    public static ApiCredentials Basic(string username, string? password) =>
        new(null, new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}"))));

    /// <summary>A header asked for before every request.</summary>
    public static ApiCredentials From(Func<CancellationToken, Task<AuthenticationHeaderValue?>> source) => new(source, null);

    /// <summary>The header for the next request, or null to send none.</summary>
    public async Task<AuthenticationHeaderValue?> HeaderAsync(CancellationToken cancellationToken) =>
        source == null ? fixedHeader : await source(cancellationToken).ConfigureAwait(false);
}
