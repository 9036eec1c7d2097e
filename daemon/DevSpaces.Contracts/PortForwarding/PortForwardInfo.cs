namespace DevSpaces.Contracts;

/// <summary>A running (or just stopped) forward.</summary>
/// <param name="Id">Names the forward in <c>portForward/stop</c> and in its events.</param>
/// <param name="Target">As given, e.g. <c>deployment/api</c>.</param>
/// <param name="Namespace">The namespace of the target.</param>
/// <param name="Ports">The local endpoints and the remote ports they reach.</param>
/// <param name="Pod">The pod new connections go to; null while none is ready.</param>
/// <param name="ActiveConnections">Connections being forwarded now.</param>
public sealed record PortForwardInfo(string Id, string Target, string Namespace, IReadOnlyList<ForwardedPortInfo> Ports, string? Pod, int ActiveConnections);
