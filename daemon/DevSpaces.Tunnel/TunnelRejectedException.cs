namespace DevSpaces.Tunnel;

/// <summary>The agent did not accept the tunnel (wrong key or not an agent).</summary>
public sealed class TunnelRejectedException(string message) : Exception(message);
