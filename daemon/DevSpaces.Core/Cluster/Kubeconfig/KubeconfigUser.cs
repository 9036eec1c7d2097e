namespace DevSpaces.Core.Cluster.Kubeconfig;

/// <summary>
/// One entry of a kubeconfig's <c>users</c>: its credentials as written. File paths are absolute (a relative one is
/// resolved against the folder of the file that names it); <c>-data</c> values are base64 PEM.
/// </summary>
public sealed record KubeconfigUser(
    string Name,
    string? ClientCertificate,
    string? ClientCertificateData,
    string? ClientKey,
    string? ClientKeyData,
    string? Token,
    string? TokenFile,
    string? Username,
    string? Password,
    KubeconfigExec? Exec,
    KubeconfigAuthProvider? AuthProvider,
    KubeconfigPlace Place)
{
    /// <summary>Never the credentials: records print all their values.</summary>
    public override string ToString() => $"user '{Name}' ({Place})";
}
