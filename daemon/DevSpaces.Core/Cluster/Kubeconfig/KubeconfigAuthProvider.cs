namespace DevSpaces.Core.Cluster.Kubeconfig;

/// <summary>A user's legacy auth provider (<c>users[].user.auth-provider</c>: azure, gcp, oidc) with its settings.</summary>
public sealed record KubeconfigAuthProvider(string Name, IReadOnlyDictionary<string, string> Config);
