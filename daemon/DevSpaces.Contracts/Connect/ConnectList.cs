namespace DevSpaces.Contracts;

/// <summary>The daemon's connect sessions.</summary>
public sealed record ConnectList(IReadOnlyList<ConnectInfo> Sessions);
