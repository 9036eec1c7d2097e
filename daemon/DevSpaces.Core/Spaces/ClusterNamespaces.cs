using DevSpaces.Contracts;
using DevSpaces.Core.Cluster;
using DevSpaces.Core.Cluster.Api;
using DevSpaces.Core.Errors;
using k8s;
using k8s.Models;

namespace DevSpaces.Core.Spaces;

/// <summary>The namespaces of the cluster behind <paramref name="connection"/>; failures in the user's terms.</summary>
public sealed class ClusterNamespaces(ClusterConnection connection) : ISpaceNamespaces
{
    public string Context => connection.Context;

    public async Task<IReadOnlyList<SpaceRecord>> ListSpacesAsync(CancellationToken cancellationToken)
    {
        var list = await connection.ReadAsync(
            new ClusterOperation("list", "namespaces"),
            ApiPaths.All("namespaces", SpaceLabels.SpaceSelector),
            ApiJson.Default.ApiListApiNamespace,
            cancellationToken).ConfigureAwait(false);
        return list.Items.Select(SpaceRecord.From).OfType<SpaceRecord>().ToList();
    }

    public Task<ApiNamespace?> ReadAsync(string name, CancellationToken cancellationToken) =>
        connection.TryReadAsync(new ClusterOperation("get", "namespaces", name), ApiPaths.Namespace(name), ApiJson.Default.ApiNamespace, cancellationToken);

    public async Task CreateSpaceAsync(string name, string? parent, CancellationToken cancellationToken)
    {
        var labels = new Dictionary<string, string> { [SpaceLabels.Space] = "true" };
        if (parent != null)
        {
            labels[SpaceLabels.Parent] = parent;
        }

        var ns = new V1Namespace { Metadata = new V1ObjectMeta { Name = name, Labels = labels } };
        await connection.CallAsync(
            new ClusterOperation("create", "namespaces", name, AlreadyExists: _ => new DevSpacesException(
                RpcErrorCode.SpaceAlreadyExists,
                $"Namespace '{name}' already exists.",
                "Choose another name.")),
            (client, ct) => client.CoreV1.CreateNamespaceAsync(ns, cancellationToken: ct),
            cancellationToken).ConfigureAwait(false);
    }

    public Task MakeRootSpaceAsync(string name, CancellationToken cancellationToken)
    {
        var patch = new V1Patch(
            $"{{\"metadata\":{{\"labels\":{{\"{SpaceLabels.Space}\":\"true\",\"{SpaceLabels.Parent}\":null}}}}}}",
            V1Patch.PatchType.MergePatch);
        return connection.CallAsync(
            new ClusterOperation("patch", "namespaces", name),
            (client, ct) => client.CoreV1.PatchNamespaceAsync(patch, name, cancellationToken: ct),
            cancellationToken);
    }

    public Task DeleteAsync(string name, CancellationToken cancellationToken) =>
        connection.TryCallAsync(
            new ClusterOperation("delete", "namespaces", name),
            (client, ct) => client.CoreV1.DeleteNamespaceAsync(name, new V1DeleteOptions { PropagationPolicy = "Background" }, cancellationToken: ct),
            cancellationToken);
}
