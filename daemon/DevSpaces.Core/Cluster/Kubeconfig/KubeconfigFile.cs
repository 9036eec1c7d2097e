namespace DevSpaces.Core.Cluster.Kubeconfig;

/// <summary>What one kubeconfig file holds, as <see cref="KubeconfigReader"/> read it.</summary>
public sealed record KubeconfigFile(
    string Path,
    string? CurrentContext,
    IReadOnlyList<KubeconfigContext> Contexts,
    IReadOnlyList<KubeconfigCluster> Clusters,
    IReadOnlyList<KubeconfigUser> Users);
