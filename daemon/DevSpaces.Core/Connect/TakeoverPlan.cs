using k8s.Models;

namespace DevSpaces.Core.Connect;

/// <summary>What a takeover of a Service changes: its Deployment, the container to stand in for, and the ports.</summary>
public sealed record TakeoverPlan(
    string Namespace,
    V1Service Service,
    V1Deployment Deployment,
    V1Container Container,
    IReadOnlyList<TakeoverPort> Ports)
{
    public string ServiceName => Service.Metadata.Name;

    public string DeploymentName => Deployment.Metadata.Name;

    /// <summary>Keep the original replicas running and point the Service's selector at the agent's pods.</summary>
    public bool KeepOriginal { get; init; }

    /// <summary>Give the agent the container's HTTP/TCP probes instead of answering its own.</summary>
    public bool ForwardProbes { get; init; }
}
