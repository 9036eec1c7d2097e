using DevSpaces.Core.Cluster.Api;

namespace DevSpaces.Core.Spaces;

/// <summary>The namespaces of one cluster, as the space operations read and change them (<see cref="ClusterNamespaces"/> on a real one).</summary>
public interface ISpaceNamespaces
{
    /// <summary>The kubeconfig context, for messages.</summary>
    string Context { get; }

    /// <summary>Every namespace labelled as a space.</summary>
    Task<IReadOnlyList<SpaceRecord>> ListSpacesAsync(CancellationToken cancellationToken);

    /// <summary>The namespace, or null when it does not exist.</summary>
    Task<ApiNamespace?> ReadAsync(string name, CancellationToken cancellationToken);

    /// <summary>Creates a namespace labelled as a space (a child of <paramref name="parent"/> when given).</summary>
    Task CreateSpaceAsync(string name, string? parent, CancellationToken cancellationToken);

    /// <summary>Labels an existing namespace as a root space; nothing else in it changes.</summary>
    Task MakeRootSpaceAsync(string name, CancellationToken cancellationToken);

    /// <summary>Deletes the namespace; one already gone counts as deleted.</summary>
    Task DeleteAsync(string name, CancellationToken cancellationToken);
}
