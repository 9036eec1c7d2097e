using System.Text.Json;
using DevSpaces.Core.Cluster;
using k8s;
using k8s.Models;

namespace DevSpaces.Core.Previews;

/// <summary>The namespaces of the cluster behind <paramref name="connection"/>; failures in the user's terms.</summary>
public sealed class ClusterPreviewNamespaces(ClusterConnection connection) : IPreviewNamespaces
{
    public Task<V1Namespace?> ReadAsync(string name, CancellationToken cancellationToken) =>
        connection.TryCallAsync(new ClusterOperation("get", "namespaces", name), (k, ct) => k.CoreV1.ReadNamespaceAsync(name, cancellationToken: ct), cancellationToken);

    public Task CreateAsync(string name, IReadOnlyDictionary<string, string> labels, IReadOnlyDictionary<string, string> annotations, CancellationToken cancellationToken)
    {
        var ns = new V1Namespace { Metadata = new V1ObjectMeta { Name = name, Labels = labels.ToDictionary(), Annotations = annotations.ToDictionary() } };
        return connection.CallAsync(new ClusterOperation("create", "namespaces", name), (k, ct) => k.CoreV1.CreateNamespaceAsync(ns, cancellationToken: ct), cancellationToken);
    }

    public Task AnnotateAsync(string name, IReadOnlyDictionary<string, string> labels, IReadOnlyDictionary<string, string> annotations, CancellationToken cancellationToken)
    {
        var patch = new V1Patch(JsonSerializer.Serialize(new { metadata = new { labels, annotations } }), V1Patch.PatchType.MergePatch);
        return connection.CallAsync(new ClusterOperation("patch", "namespaces", name), (k, ct) => k.CoreV1.PatchNamespaceAsync(patch, name, cancellationToken: ct), cancellationToken);
    }

    public async Task<IReadOnlyList<V1Namespace>> ListPreviewsAsync(CancellationToken cancellationToken)
    {
        var list = await connection.CallAsync(new ClusterOperation("list", "namespaces"), (k, ct) => k.CoreV1.ListNamespaceAsync(labelSelector: PreviewLabels.PreviewSelector, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        return list.Items.ToList();
    }

    public Task DeleteAsync(string name, CancellationToken cancellationToken) =>
        connection.TryCallAsync(new ClusterOperation("delete", "namespaces", name), (k, ct) => k.CoreV1.DeleteNamespaceAsync(name, new V1DeleteOptions { PropagationPolicy = "Background" }, cancellationToken: ct), cancellationToken);
}
