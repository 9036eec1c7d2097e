using DevSpaces.Core.Cluster;
using k8s;
using k8s.Models;

namespace DevSpaces.Core.Connect;

/// <summary>Reads the ConfigMaps and Secrets of a namespace from the cluster.</summary>
public sealed class ClusterVolumeContent(ClusterConnection cluster, string ns) : IVolumeContent
{
    public Task<V1ConfigMap?> ConfigMapAsync(string name, CancellationToken cancellationToken) =>
        cluster.TryCallAsync(new ClusterOperation("get", "configmaps", name, ns),
            (c, ct) => c.CoreV1.ReadNamespacedConfigMapAsync(name, ns, cancellationToken: ct), cancellationToken);

    public Task<V1Secret?> SecretAsync(string name, CancellationToken cancellationToken) =>
        cluster.TryCallAsync(new ClusterOperation("get", "secrets", name, ns),
            (c, ct) => c.CoreV1.ReadNamespacedSecretAsync(name, ns, cancellationToken: ct), cancellationToken);
}
