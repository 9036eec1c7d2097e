using DevSpaces.Core.Cluster.Kubeconfig;

namespace DevSpaces.Core.Cluster;

/// <summary>A kubeconfig merged from its files (kubectl's rule: the first file that sets a value or names an entry wins).</summary>
public sealed record LoadedKubeconfig(
    string? CurrentContext,
    IReadOnlyList<KubeconfigContext> Contexts,
    IReadOnlyList<KubeconfigCluster> Clusters,
    IReadOnlyList<KubeconfigUser> Users,
    IReadOnlyList<string> Files)
{
    /// <summary>The files merged in order.</summary>
    public static LoadedKubeconfig Merge(IReadOnlyList<KubeconfigFile> files) => new(
        files.Select(f => f.CurrentContext).FirstOrDefault(c => !string.IsNullOrEmpty(c)),
        files.SelectMany(f => f.Contexts).DistinctBy(c => c.Name).ToList(),
        files.SelectMany(f => f.Clusters).DistinctBy(c => c.Name).ToList(),
        files.SelectMany(f => f.Users).DistinctBy(u => u.Name).ToList(),
        files.Select(f => f.Path).ToList());

    public KubeconfigContext? FindContext(string name) => Contexts.FirstOrDefault(c => c.Name == name);

    public KubeconfigCluster? ClusterOf(KubeconfigContext context) => Clusters.FirstOrDefault(c => c.Name == context.Cluster);

    public string? ServerOf(KubeconfigContext context) => ClusterOf(context)?.Server;

    public KubeconfigUser? UserOf(KubeconfigContext context) => Users.FirstOrDefault(u => u.Name == context.User);
}
