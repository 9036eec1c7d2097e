using System.Net;

namespace DevSpaces.Core.PortForwarding;

/// <summary>What to forward where.</summary>
public sealed record PortForwardRequest(PortForwardTarget Target, IReadOnlyList<PortMapping> Ports)
{
    /// <summary>Local address to bind; loopback unless the user asks otherwise.</summary>
    public IPAddress BindAddress { get; init; } = IPAddress.Loopback;

    /// <summary>How long starting waits for a ready pod before failing with the reason none is ready.</summary>
    public TimeSpan ReadyPodTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
