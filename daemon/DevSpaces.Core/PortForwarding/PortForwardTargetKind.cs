namespace DevSpaces.Core.PortForwarding;

/// <summary>What kind of workload a port forward points at.</summary>
public enum PortForwardTargetKind
{
    Pod,
    Deployment,
    Service,
}
