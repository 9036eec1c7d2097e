using DevSpaces.Contracts;
using DevSpaces.Core.Cluster;
using DevSpaces.Core.Errors;
using DevSpaces.Core.Routing;
using DevSpaces.Core.Spaces;
using k8s;
using k8s.Models;

namespace DevSpaces.Core.Connect;

/// <summary>The reads of an isolated connect, through the cluster connection (failures in the user's terms).</summary>
public sealed class ClusterIsolationReads(ClusterConnection cluster) : IIsolationReads
{
    public async Task<SpaceRecord?> ReadSpaceAsync(string name, CancellationToken cancellationToken)
    {
        var ns = await new ClusterNamespaces(cluster).ReadAsync(name, cancellationToken).ConfigureAwait(false);
        return ns is null ? null : SpaceRecord.From(ns) ?? throw new DevSpacesException(
            RpcErrorCode.NotASpace, $"Namespace '{name}' is not a space.", $"Make it a space with 'devspaces space create {name}' (a root) or '--parent <space>' (a child).");
    }

    public Task<V1Service?> ReadServiceAsync(string ns, string name, CancellationToken cancellationToken) =>
        new ClusterWorkloads(cluster).ReadServiceAsync(ns, name, cancellationToken);

    public Task<V1ConfigMap?> ReadRoutingAsync(string root, CancellationToken cancellationToken) =>
        cluster.TryCallAsync(
            new ClusterOperation("get", "configmaps", RoutingNames.ConfigMap, root),
            (c, ct) => c.CoreV1.ReadNamespacedConfigMapAsync(RoutingNames.ConfigMap, root, cancellationToken: ct),
            cancellationToken);
}
