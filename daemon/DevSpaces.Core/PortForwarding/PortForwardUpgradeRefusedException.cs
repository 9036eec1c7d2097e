namespace DevSpaces.Core.PortForwarding;

/// <summary>The API server did not switch a port-forward request to the multiplexed protocol.</summary>
public sealed class PortForwardUpgradeRefusedException(int status, string detail)
    : Exception($"The API server answered {status} instead of switching to SPDY: {detail}")
{
    public int Status { get; } = status;
}
