using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DevSpaces.Core.Cluster.Api;

/// <summary>The user's client certificate with its key, from PEM text.</summary>
public static class ClientCertificate
{
    /// <exception cref="CryptographicException">The text is not a PEM certificate and its key.</exception>
    public static X509Certificate2 FromPem(string certificate, string key)
    {
        using var pem = X509Certificate2.CreateFromPem(certificate, key);

        // A key made from PEM is ephemeral, which TLS on some platforms refuses; one loaded from PKCS#12 is not.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }
}
