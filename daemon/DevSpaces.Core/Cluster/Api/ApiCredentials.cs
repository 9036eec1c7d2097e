using System.Net.Http.Headers;
using System.Text;
using k8s;
using k8s.Authentication;

namespace DevSpaces.Core.Cluster.Api;

/// <summary>
/// The Authorization header of each request, chosen from what KubernetesClient made of the kubeconfig's user
/// (<see cref="KubernetesClientConfiguration"/>): a token provider first (credential plugins, token files, auth
/// providers: asked on every request, so a refreshed token is used), then a static token, then a user name and
/// password; none for a user that authenticates with a client certificate alone.
/// </summary>
public sealed class ApiCredentials
{
    private readonly ITokenProvider? provider;
    private readonly AuthenticationHeaderValue? fixedHeader;

    private ApiCredentials(ITokenProvider? provider, AuthenticationHeaderValue? fixedHeader)
    {
        this.provider = provider;
        this.fixedHeader = fixedHeader;
    }

    /// <summary>No Authorization header.</summary>
    public static ApiCredentials None { get; } = new(null, null);

    public static ApiCredentials From(KubernetesClientConfiguration config)
    {
        if (config.TokenProvider is { } provider)
        {
            return new ApiCredentials(provider, null);
        }

        if (!string.IsNullOrEmpty(config.AccessToken))
        {
            return new ApiCredentials(null, new AuthenticationHeaderValue("Bearer", config.AccessToken));
        }

        if (!string.IsNullOrEmpty(config.Username))
        {
            var pair = Encoding.UTF8.GetBytes($"{config.Username}:{config.Password}");
            return new ApiCredentials(null, new AuthenticationHeaderValue("Basic", Convert.ToBase64String(pair)));
        }

        return None;
    }

    /// <summary>The header for the next request, or null to send none.</summary>
    public async Task<AuthenticationHeaderValue?> HeaderAsync(CancellationToken cancellationToken) =>
        provider == null ? fixedHeader : await provider.GetAuthenticationHeaderAsync(cancellationToken).ConfigureAwait(false);
}
