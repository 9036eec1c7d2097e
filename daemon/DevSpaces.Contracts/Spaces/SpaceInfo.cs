namespace DevSpaces.Contracts;

/// <summary>A space and its children.</summary>
/// <param name="Name">Namespace name.</param>
/// <param name="Parent">Parent space; null for a root space.</param>
/// <param name="Phase">Namespace phase: Active or Terminating.</param>
/// <param name="IsSelected">True for the workspace's selected space.</param>
/// <param name="Children">Child spaces, sorted by name.</param>
/// <param name="Url">The space's URL when its root is routed (opening it sets the routing key), else null.</param>
public sealed record SpaceInfo(string Name, string? Parent, string Phase, bool IsSelected, IReadOnlyList<SpaceInfo> Children, string? Url = null);
