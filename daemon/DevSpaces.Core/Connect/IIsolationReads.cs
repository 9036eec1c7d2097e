using DevSpaces.Core.Spaces;
using k8s.Models;

namespace DevSpaces.Core.Connect;

/// <summary>What deciding an isolated connect reads (<see cref="ClusterIsolationReads"/> reads it from the cluster): only reads, in the child space and its ancestors.</summary>
public interface IIsolationReads
{
    /// <summary>The space, or null when no namespace has that name; throws <c>NotASpace</c> for a namespace that is not a space.</summary>
    Task<SpaceRecord?> ReadSpaceAsync(string name, CancellationToken cancellationToken);

    /// <summary>The Service, or null when there is none of that name.</summary>
    Task<V1Service?> ReadServiceAsync(string ns, string name, CancellationToken cancellationToken);

    /// <summary>The routing ConfigMap of a root space, or null when the root is not routed.</summary>
    Task<V1ConfigMap?> ReadRoutingAsync(string root, CancellationToken cancellationToken);
}
