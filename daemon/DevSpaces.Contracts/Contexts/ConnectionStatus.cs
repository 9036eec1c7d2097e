namespace DevSpaces.Contracts;

/// <summary>Reachability of the workspace's cluster (answer to <c>context/status</c>, <c>context/use</c> and the <c>connection/status</c> notification).</summary>
/// <param name="State">Connecting, connected or failed.</param>
/// <param name="Context">The context in use.</param>
/// <param name="Server">API server URL.</param>
/// <param name="ServerVersion">gitVersion of the API server when connected.</param>
/// <param name="Error">Why the state is failed.</param>
public sealed record ConnectionStatus(ConnectionState State, string? Context, string? Server, string? ServerVersion, ErrorInfo? Error);
