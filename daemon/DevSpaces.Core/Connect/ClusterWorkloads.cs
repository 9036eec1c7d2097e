using DevSpaces.Core.Cluster;
using k8s;
using k8s.Models;

namespace DevSpaces.Core.Connect;

/// <summary>The Services and workloads of a namespace, read through the cluster connection (failures in the user's terms).</summary>
public sealed class ClusterWorkloads(ClusterConnection cluster) : IWorkloadReader
{
    public Task<V1Service?> ReadServiceAsync(string ns, string name, CancellationToken cancellationToken) =>
        cluster.TryCallAsync(
            new ClusterOperation("get", "services", name, ns),
            (c, ct) => c.CoreV1.ReadNamespacedServiceAsync(name, ns, cancellationToken: ct), cancellationToken);

    public async Task<IReadOnlyList<Workload>> ListDeploymentsAsync(string ns, CancellationToken cancellationToken)
    {
        var deployments = await cluster.CallAsync(
            new ClusterOperation("list", "deployments", Namespace: ns),
            (c, ct) => c.AppsV1.ListNamespacedDeploymentAsync(ns, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        return [.. deployments.Items.Select(Workload.Of)];
    }

    public async Task<IReadOnlyList<Workload>> ListStatefulSetsAsync(string ns, CancellationToken cancellationToken)
    {
        var statefulSets = await cluster.CallAsync(
            new ClusterOperation("list", "statefulsets", Namespace: ns),
            (c, ct) => c.AppsV1.ListNamespacedStatefulSetAsync(ns, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        return [.. statefulSets.Items.Select(Workload.Of)];
    }
}
