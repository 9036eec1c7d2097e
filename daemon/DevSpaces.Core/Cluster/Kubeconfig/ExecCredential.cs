namespace DevSpaces.Core.Cluster.Kubeconfig;

/// <summary>What a credential plugin printed: a bearer token, or a client certificate and key (PEM), until <see cref="Expires"/>.</summary>
public sealed record ExecCredential(string? Token, string? ClientCertificatePem, string? ClientKeyPem, DateTimeOffset? Expires)
{
    /// <summary>Never the credential: records print all their values.</summary>
    public override string ToString() => $"ExecCredential (expires {Expires?.ToString("o") ?? "never"})";
}
