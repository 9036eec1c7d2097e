using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace DevSpaces.Core.Cluster.Api;

/// <summary>
/// HTTPS to the API server with the kubeconfig's TLS settings (<see cref="ClusterAccess"/>) as KubernetesClient applies them: the cluster's
/// certificate authorities (or no verification when the kubeconfig says so), its TLS server name, the user's client
/// certificate. Proxies come from the environment (<c>HTTPS_PROXY</c>, <c>NO_PROXY</c>) as for KubernetesClient.
/// </summary>
public sealed class HttpApiServerTransport : IApiServerTransport
{
    private readonly HttpClient http;

    private HttpApiServerTransport(HttpClient http) => this.http = http;

    public static HttpApiServerTransport For(ClusterAccess access)
    {
        var handler = new SocketsHttpHandler
        {
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            KeepAlivePingDelay = TimeSpan.FromMinutes(3),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
        };
        if (access.Server.Scheme == Uri.UriSchemeHttps)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = ServerCheck(access);
            if (!string.IsNullOrEmpty(access.TlsServerName))
            {
                handler.SslOptions.TargetHost = access.TlsServerName;
            }

            if (access.ClientCertificate() is { } clientCertificate)
            {
                handler.SslOptions.ClientCertificates = [clientCertificate];
            }
        }

        // Watches stream for minutes; the timeout of each call is the caller's.
        return new HttpApiServerTransport(new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan });
    }

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);

    public void Dispose() => http.Dispose();

    /// <summary>Null (the system's check alone) for a cluster entry without certificate authorities, as KubernetesClient does.</summary>
    private static RemoteCertificateValidationCallback? ServerCheck(ClusterAccess access)
    {
        if (access.SkipTlsVerify)
        {
            return (_, _, _, _) => true;
        }

        if (access.Authorities is not { Count: > 0 } authorities)
        {
            return null;
        }

        return (_, certificate, chain, errors) => IsTrusted(authorities, certificate, chain, errors);
    }

    /// <summary>
    /// The decision KubernetesClient makes: a certificate the system trusts passes; one whose chain the system does not
    /// trust passes when it chains up to one of the kubeconfig's authorities (the usual case of a cluster's own CA).
    /// </summary>
    public static bool IsTrusted(X509Certificate2Collection authorities, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if ((errors & SslPolicyErrors.RemoteCertificateChainErrors) == 0 || certificate is not X509Certificate2 server || chain == null)
        {
            return false;
        }

        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Clear();
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        if (!chain.Build(server))
        {
            return false;
        }

        var root = chain.ChainElements[^1].Certificate;
        return authorities.Any(a => a.RawDataMemory.Span.SequenceEqual(root.RawDataMemory.Span));
    }
}
