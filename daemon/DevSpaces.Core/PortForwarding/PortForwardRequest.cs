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
    /// How many pod connections to keep pre-opened per port while the forward is in use (see
    /// <see cref="WarmSpares"/>); zero turns spares off, so the pod only sees connections a local client made.
    /// </summary>
    public int WarmConnections { get; init; } = 1;

    /// <summary>
    /// After a local client stopped sending, how long the pod may stay silent before the connection is closed
    /// (see <see cref="ForwardedConnection.PumpAsync"/>).
    /// </summary>
    public TimeSpan HalfClosedIdleTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a spare waits for a local connection before it is closed.</summary>
    public TimeSpan WarmConnectionLifetime { get; init; } = TimeSpan.FromSeconds(3);
}
