using k8s.KubeConfigModels;

namespace DevSpaces.Core.Cluster;

/// <summary>A kubeconfig merged from its files.</summary>
public sealed record LoadedKubeconfig(K8SConfiguration Config, IReadOnlyList<string> Files)
{
    public IEnumerable<Context> Contexts => Config.Contexts ?? [];

    public Context? FindContext(string name) => Contexts.FirstOrDefault(c => c.Name == name);

    public string? ServerOf(Context context) =>
        (Config.Clusters ?? []).FirstOrDefault(c => c.Name == context.ContextDetails?.Cluster)?.ClusterEndpoint?.Server;

    public User? UserOf(Context context) =>
        (Config.Users ?? []).FirstOrDefault(u => u.Name == context.ContextDetails?.User);
}
