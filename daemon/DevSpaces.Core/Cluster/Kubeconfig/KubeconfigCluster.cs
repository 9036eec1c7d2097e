namespace DevSpaces.Core.Cluster.Kubeconfig;

/// <summary>
/// One entry of a kubeconfig's <c>clusters</c>. <see cref="CertificateAuthority"/> is an absolute path (a relative one is
/// resolved against the folder of the file that names it); <see cref="CertificateAuthorityData"/> is base64 PEM.
/// </summary>
public sealed record KubeconfigCluster(
    string Name,
    string? Server,
    string? CertificateAuthority,
    string? CertificateAuthorityData,
    bool InsecureSkipTlsVerify,
    string? TlsServerName,
    KubeconfigPlace Place);
