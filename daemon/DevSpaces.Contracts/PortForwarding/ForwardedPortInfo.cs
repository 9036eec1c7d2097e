namespace DevSpaces.Contracts;

/// <summary>A local endpoint of a forward.</summary>
/// <param name="Address">The local address bound (127.0.0.1 unless asked otherwise).</param>
/// <param name="LocalPort">The local port (the one chosen when any free port was asked for).</param>
/// <param name="RemotePort">The remote port, number or name, as requested.</param>
public sealed record ForwardedPortInfo(string Address, int LocalPort, string RemotePort);
