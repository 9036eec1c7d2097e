using DevSpaces.Tunnel.Takeover;
using k8s.Models;

namespace DevSpaces.Core.Connect;

/// <summary>
/// What a takeover of a Service changes: its workload, the container to stand in for, and the ports. A StatefulSet
/// is carried as a Deployment view (its metadata, replicas, selector and pod template) with <see cref="Kind"/> saying
/// what it really is, so everything that only reads the workload treats both alike.
/// </summary>
public sealed record TakeoverPlan(
    string Namespace,
    V1Service Service,
    V1Deployment Deployment,
    V1Container Container,
    IReadOnlyList<TakeoverPort> Ports)
{
    public string ServiceName => Service.Metadata.Name;

    public string DeploymentName => Deployment.Metadata.Name;

    /// <summary><see cref="TakeoverNames.DeploymentKind"/> or <see cref="TakeoverNames.StatefulSetKind"/>.</summary>
    public string Kind { get; init; } = TakeoverNames.DeploymentKind;

    /// <summary>What of the Service connect cannot carry (UDP ports), for warning events.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Keep the original replicas running and point the Service's selector at the agent's pods.</summary>
    public bool KeepOriginal { get; init; }

    /// <summary>Give the agent the container's HTTP/TCP probes instead of answering its own.</summary>
    public bool ForwardProbes { get; init; }
}
