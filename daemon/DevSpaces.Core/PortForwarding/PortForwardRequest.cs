using System.Net;

namespace DevSpaces.Core.PortForwarding;

/// <summary>What to forward where.</summary>
public sealed record PortForwardRequest(PortForwardTarget Target, IReadOnlyList<PortMapping> Ports)
{
    /// <summary>Local address to bind; loopback unless the user asks otherwise.</summary>
    public IPAddress BindAddress { get; init; } = IPAddress.Loopback;

    /// <summary>How long starting waits for a ready pod before failing with the reason none is ready.</summary>
    public TimeSpan ReadyPodTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a pre-opened spare pod connection waits for the next local connection (see <see cref="WarmSpare"/>);
    /// zero turns spares off, so the pod only ever sees connections that a local client made.
    /// </summary>
    public TimeSpan WarmConnectionLifetime { get; init; } = TimeSpan.FromSeconds(3);
}
