using k8s.Models;

namespace DevSpaces.Core.Connect;

/// <summary>What planning a takeover reads of a namespace (<see cref="ClusterWorkloads"/> reads it from the cluster).</summary>
public interface IWorkloadReader
{
    /// <summary>The Service, or null when there is none of that name.</summary>
    Task<V1Service?> ReadServiceAsync(string ns, string name, CancellationToken cancellationToken);

    Task<IReadOnlyList<Workload>> ListDeploymentsAsync(string ns, CancellationToken cancellationToken);

    /// <summary>Throws a <c>Forbidden</c> <see cref="Errors.DevSpacesException"/> for a user who may not list them.</summary>
    Task<IReadOnlyList<Workload>> ListStatefulSetsAsync(string ns, CancellationToken cancellationToken);
}
