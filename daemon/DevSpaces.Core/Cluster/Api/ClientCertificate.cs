using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using k8s;
using k8s.Exceptions;

namespace DevSpaces.Core.Cluster.Api;

/// <summary>The user's client certificate with its key, from the kubeconfig's files or data (base64 PEM) as KubernetesClient reads them.</summary>
public static class ClientCertificate
{
    /// <summary>The certificate, or null when the user has no certificate and key.</summary>
    /// <exception cref="KubeConfigException">The files cannot be read or do not hold a PEM certificate and key.</exception>
    public static X509Certificate2? From(KubernetesClientConfiguration config)
    {
        var hasCertificate = !string.IsNullOrWhiteSpace(config.ClientCertificateData) || !string.IsNullOrWhiteSpace(config.ClientCertificateFilePath);
        var hasKey = !string.IsNullOrWhiteSpace(config.ClientCertificateKeyData) || !string.IsNullOrWhiteSpace(config.ClientKeyFilePath);
        if (!hasCertificate || !hasKey)
        {
            return null;
        }

        try
        {
            var certificate = Pem(config.ClientCertificateFilePath, config.ClientCertificateData);
            var key = Pem(config.ClientKeyFilePath, config.ClientCertificateKeyData);
            using var pem = X509Certificate2.CreateFromPem(certificate, key);

            // A key made from PEM is ephemeral, which TLS on some platforms refuses; one loaded from PKCS#12 is not.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null, config.ClientCertificateKeyStoreFlags ?? X509KeyStorageFlags.DefaultKeySet);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or FormatException or ArgumentException)
        {
            throw new KubeConfigException($"The client certificate or key of the user cannot be read: {e.Message}", e);
        }
    }

    /// <summary>The file wins over the data, as in KubernetesClient.</summary>
    private static string Pem(string? file, string? base64) =>
        !string.IsNullOrWhiteSpace(file) ? File.ReadAllText(file) : System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(base64!));
}
