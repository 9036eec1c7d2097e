using k8s.Models;

namespace DevSpaces.Core.Previews;

/// <summary>The namespaces of one cluster as previews read and change them (<see cref="ClusterPreviewNamespaces"/> on a real one).</summary>
public interface IPreviewNamespaces
{
    /// <summary>The namespace, or null when it does not exist.</summary>
    Task<V1Namespace?> ReadAsync(string name, CancellationToken cancellationToken);

    /// <summary>Creates the namespace with these labels and annotations.</summary>
    Task CreateAsync(string name, IReadOnlyDictionary<string, string> labels, IReadOnlyDictionary<string, string> annotations, CancellationToken cancellationToken);

    /// <summary>Sets these labels and annotations on the namespace; nothing else changes.</summary>
    Task AnnotateAsync(string name, IReadOnlyDictionary<string, string> labels, IReadOnlyDictionary<string, string> annotations, CancellationToken cancellationToken);

    /// <summary>Every namespace labelled as a preview.</summary>
    Task<IReadOnlyList<V1Namespace>> ListPreviewsAsync(CancellationToken cancellationToken);

    /// <summary>Deletes the namespace (and so all it holds); one already gone counts as deleted.</summary>
    Task DeleteAsync(string name, CancellationToken cancellationToken);
}
