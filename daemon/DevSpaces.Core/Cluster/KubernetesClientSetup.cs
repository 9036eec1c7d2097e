using System.Text;
using DevSpaces.Core.Cluster.Api;
using DevSpaces.Core.Cluster.Kubeconfig;
using k8s;
using k8s.Authentication;
using k8s.Exceptions;
using k8s.KubeConfigModels;

namespace DevSpaces.Core.Cluster;

/// <summary>
/// KubernetesClient's configuration made from what <see cref="ClusterAccess"/> resolved, for the verbs that need its
/// full client; and the legacy auth providers (azure, gcp, oidc), which only KubernetesClient implements. Kept apart so
/// that the idle daemon, which needs neither, never loads KubernetesClient for its kubeconfig.
/// </summary>
public static class KubernetesClientSetup
{
    public static KubernetesClientConfiguration Configuration(ClusterAccess access, string? @namespace) => new()
    {
        Host = access.Server.OriginalString,
        Namespace = @namespace,
        SslCaCerts = access.Authorities,
        SkipTlsVerify = access.SkipTlsVerify,
        TlsServerName = access.TlsServerName,
        ClientCertificateData = Base64(access.ClientCertificatePem),
        ClientCertificateKeyData = Base64(access.ClientKeyPem),
        TokenProvider = access.Credentials.IsNone ? null : new CredentialsTokenProvider(access.Credentials),

        // Watches stream for minutes; per-call timeouts come from ClusterConnection.CallAsync instead.
        HttpClientTimeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>The header of a user with an auth provider, as KubernetesClient's provider makes it.</summary>
    /// <exception cref="CredentialPluginException">The provider is unknown or failed.</exception>
    public static ApiCredentials AuthProviderCredentials(KubeconfigCluster cluster, KubeconfigUser user, KubeconfigContext context)
    {
        var config = new K8SConfiguration
        {
            CurrentContext = context.Name,
            Contexts = [new Context { Name = context.Name, ContextDetails = new ContextDetails { Cluster = cluster.Name, User = user.Name } }],
            Clusters = [new k8s.KubeConfigModels.Cluster { Name = cluster.Name, ClusterEndpoint = new ClusterEndpoint { Server = cluster.Server, SkipTlsVerify = true } }],
            Users =
            [
                new User
                {
                    Name = user.Name,
                    UserCredentials = new UserCredentials
                    {
                        AuthProvider = new AuthProvider { Name = user.AuthProvider!.Name, Config = user.AuthProvider.Config.ToDictionary() },
                    },
                },
            ],
        };
        try
        {
            var built = KubernetesClientConfiguration.BuildConfigFromConfigObject(config, context.Name);
            if (built.TokenProvider is { } provider)
            {
                return ApiCredentials.From(async ct => await provider.GetAuthenticationHeaderAsync(ct).ConfigureAwait(false));
            }

            return string.IsNullOrEmpty(built.AccessToken) ? ApiCredentials.None : ApiCredentials.Bearer(built.AccessToken);
        }
        catch (KubeConfigException e)
        {
            throw new CredentialPluginException(e.InnerException == null ? e.Message : $"{e.Message} {e.InnerException.Message}", e);
        }
    }

    private static string? Base64(string? pem) => pem == null ? null : Convert.ToBase64String(Encoding.UTF8.GetBytes(pem));

    /// <summary>Our header, asked for by KubernetesClient before each of its requests.</summary>
    private sealed class CredentialsTokenProvider(ApiCredentials credentials) : ITokenProvider
    {
        public async Task<System.Net.Http.Headers.AuthenticationHeaderValue> GetAuthenticationHeaderAsync(CancellationToken cancellationToken) =>
            (await credentials.HeaderAsync(cancellationToken).ConfigureAwait(false))!;
    }
}
