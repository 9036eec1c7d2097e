namespace DevSpaces.Contracts;

/// <summary>Answer to <c>initialize</c>.</summary>
/// <param name="Version">Version of the daemon (semantic version).</param>
/// <param name="ProtocolVersion">The contract's protocol version (<see cref="Protocol.Version"/>).</param>
/// <param name="Capabilities">Feature names the daemon serves (<see cref="Capabilities"/>).</param>
/// <param name="WorkspaceFolder">The workspace folder the daemon serves, if any.</param>
public sealed record InitializeResult(string Version, int ProtocolVersion, IReadOnlyList<string> Capabilities, string? WorkspaceFolder);
