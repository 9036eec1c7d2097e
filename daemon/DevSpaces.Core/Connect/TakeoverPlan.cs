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
}
