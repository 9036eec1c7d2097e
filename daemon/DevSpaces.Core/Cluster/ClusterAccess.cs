using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DevSpaces.Core.Cluster.Api;
using DevSpaces.Core.Cluster.Kubeconfig;

namespace DevSpaces.Core.Cluster;

/// <summary>
/// What talking to the API server of one kubeconfig context takes: its URL, the TLS settings of its cluster entry
/// (certificate authorities, or none for the system's trust alone; no verification; the TLS server name), the user's
/// client certificate and the Authorization header. The one place where the kubeconfig's rules are applied: the
/// idle daemon's <see cref="ApiServerClient"/> and KubernetesClient's client (<see cref="KubernetesClientSetup"/>) both
/// use what it resolved.
/// </summary>
public sealed record ClusterAccess(
    Uri Server,
    X509Certificate2Collection? Authorities,
    bool SkipTlsVerify,
    string? TlsServerName,
    string? ClientCertificatePem,
    string? ClientKeyPem,
    ApiCredentials Credentials)
{
    private const string Hint = "Fix the context's cluster and user entries (kubectl config view shows them) or choose another context.";

    /// <summary>Never the key: records print all their values.</summary>
    public override string ToString() => $"ClusterAccess {Server}";

    /// <summary>The user's client certificate, or null when it has none.</summary>
    public X509Certificate2? ClientCertificate() =>
        ClientCertificatePem != null && ClientKeyPem != null ? Api.ClientCertificate.FromPem(ClientCertificatePem, ClientKeyPem) : null;

    /// <summary>Resolves <paramref name="context"/>; a credential plugin of its user runs once here.</summary>
    /// <exception cref="KubeconfigUnusableException">An entry is missing or unusable.</exception>
    /// <exception cref="CredentialPluginException">The user's credential plugin or auth provider failed.</exception>
    public static ClusterAccess Resolve(LoadedKubeconfig kubeconfig, KubeconfigContext context)
    {
        if (string.IsNullOrEmpty(context.Cluster) || kubeconfig.ClusterOf(context) is not { } cluster)
        {
            throw new KubeconfigUnusableException(
                $"Context '{context.Name}' ({context.Place}) names {(string.IsNullOrEmpty(context.Cluster) ? "no cluster" : $"the cluster '{context.Cluster}', which no 'clusters' entry has")}.",
                Hint);
        }

        var server = ServerOf(cluster);
        var authorities = AuthoritiesOf(cluster);
        string? certificate = null, key = null;
        var credentials = ApiCredentials.None;
        if (!string.IsNullOrEmpty(context.User))
        {
            var user = kubeconfig.UserOf(context) ?? throw new KubeconfigUnusableException(
                $"Context '{context.Name}' ({context.Place}) names the user '{context.User}', which no 'users' entry has.", Hint);
            (certificate, key) = ClientCertificateOf(user);
            credentials = CredentialsOf(user, cluster, context, ref certificate, ref key);
            if (credentials.IsNone && certificate == null)
            {
                throw new KubeconfigUnusableException(
                    $"The {user} has no credentials.",
                    "Give it a client-certificate and client-key, a token or tokenFile, a username and password, or an exec credential plugin (your cluster provider's get-credentials command writes them).");
            }
        }

        var access = new ClusterAccess(server, authorities, cluster.InsecureSkipTlsVerify, cluster.TlsServerName, certificate, key, credentials);
        try
        {
            // Read now so an unusable certificate is named here, not as a failed TLS handshake later.
            access.ClientCertificate()?.Dispose();
        }
        catch (CryptographicException e)
        {
            throw new KubeconfigUnusableException($"The client certificate or key of user '{context.User}' is not a PEM certificate and its key: {e.Message}", Hint, e);
        }

        return access;
    }

    private static Uri ServerOf(KubeconfigCluster cluster)
    {
        if (string.IsNullOrWhiteSpace(cluster.Server))
        {
            throw new KubeconfigUnusableException($"The cluster '{cluster.Name}' ({cluster.Place}) has no server.", "Set its 'server' to the API server's URL (https://host:port).");
        }

        if (!Uri.TryCreate(cluster.Server.Trim(), UriKind.Absolute, out var server) || server.Scheme is not ("https" or "http"))
        {
            throw new KubeconfigUnusableException(
                $"The server '{cluster.Server}' of cluster '{cluster.Name}' ({cluster.Place}) is not an https:// or http:// URL.",
                "Set its 'server' to the API server's URL (https://host:port).");
        }

        return server;
    }

    /// <summary>The cluster's certificate authorities: its data wins over its file; null when it names none (the system's trust).</summary>
    private static X509Certificate2Collection? AuthoritiesOf(KubeconfigCluster cluster)
    {
        string pem;
        string source;
        if (!string.IsNullOrWhiteSpace(cluster.CertificateAuthorityData))
        {
            pem = Decode(cluster.CertificateAuthorityData, $"certificate-authority-data of cluster '{cluster.Name}' ({cluster.Place})");
            source = $"certificate-authority-data of cluster '{cluster.Name}' ({cluster.Place})";
        }
        else if (cluster.CertificateAuthority != null)
        {
            source = $"certificate-authority {cluster.CertificateAuthority} of cluster '{cluster.Name}' ({cluster.Place})";
            pem = ReadFile(cluster.CertificateAuthority, source);
        }
        else
        {
            return null;
        }

        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPem(pem);
        }
        catch (CryptographicException e)
        {
            throw new KubeconfigUnusableException($"The {source} holds no readable PEM certificate: {e.Message}", Hint, e);
        }

        return authorities.Count > 0 ? authorities : throw new KubeconfigUnusableException($"The {source} holds no PEM certificate (-----BEGIN CERTIFICATE-----).", Hint);
    }

    /// <summary>The user's client certificate and key as PEM; a file wins over data, as in KubernetesClient.</summary>
    private static (string? Certificate, string? Key) ClientCertificateOf(KubeconfigUser user)
    {
        var certificate = user.ClientCertificate != null
            ? ReadFile(user.ClientCertificate, $"client-certificate {user.ClientCertificate} of the {user}")
            : string.IsNullOrWhiteSpace(user.ClientCertificateData) ? null : Decode(user.ClientCertificateData, $"client-certificate-data of the {user}");
        var key = user.ClientKey != null
            ? ReadFile(user.ClientKey, $"client-key {user.ClientKey} of the {user}")
            : string.IsNullOrWhiteSpace(user.ClientKeyData) ? null : Decode(user.ClientKeyData, $"client-key-data of the {user}");
        if ((certificate == null) != (key == null))
        {
            throw new KubeconfigUnusableException(
                $"The {user} has a client {(certificate == null ? "key" : "certificate")} but no client {(certificate == null ? "certificate" : "key")}.",
                "Give it both client-certificate (or -data) and client-key (or -data), or neither.");
        }

        return (certificate, key);
    }

    /// <summary>
    /// The header: a credential plugin or auth provider first, then a token, a token file, a user name and password, as
    /// KubernetesClient orders them. A plugin that answers with a client certificate replaces the kubeconfig's.
    /// </summary>
    private static ApiCredentials CredentialsOf(KubeconfigUser user, KubeconfigCluster cluster, KubeconfigContext context, ref string? certificate, ref string? key)
    {
        if (user.Exec is { } exec)
        {
            var plugin = new ExecCredentialPlugin(exec, user.Name);
            var first = plugin.GetAsync(CancellationToken.None).GetAwaiter().GetResult();
            if (first.ClientCertificatePem != null)
            {
                (certificate, key) = (first.ClientCertificatePem, first.ClientKeyPem);
            }

            return first.Token == null ? ApiCredentials.None : ApiCredentials.From(plugin.HeaderAsync);
        }

        if (user.AuthProvider != null)
        {
            return KubernetesClientSetup.AuthProviderCredentials(cluster, user, context);
        }

        if (!string.IsNullOrEmpty(user.Token))
        {
            return ApiCredentials.Bearer(user.Token);
        }

        if (user.TokenFile is { } tokenFile)
        {
            var what = $"tokenFile {tokenFile} of the {user}";
            ReadFile(tokenFile, what);

            // Read before every request: the file is rotated by whoever wrote it.
            return ApiCredentials.From(ct => Task.FromResult<System.Net.Http.Headers.AuthenticationHeaderValue?>(new("Bearer", ReadFile(tokenFile, what).Trim())));
        }

        return string.IsNullOrEmpty(user.Username) ? ApiCredentials.None : ApiCredentials.Basic(user.Username, user.Password);
    }

    private static string ReadFile(string path, string what)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KubeconfigUnusableException($"The {what} cannot be read: {e.Message}", "Check that the file exists and that you may read it (a relative path is relative to the kubeconfig's folder).", e);
        }
    }

    private static string Decode(string base64, string what)
    {
        try
        {
            return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(base64.Trim()));
        }
        catch (FormatException e)
        {
            throw new KubeconfigUnusableException($"The {what} is not base64.", "Put the base64 of the PEM file there (base64 -w0 file), or name the file with the key without -data.", e);
        }
    }
}
