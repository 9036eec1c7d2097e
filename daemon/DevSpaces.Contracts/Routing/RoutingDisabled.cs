namespace DevSpaces.Contracts;

/// <summary>Answer to <c>routing/disable</c>.</summary>
/// <param name="Root">The root space.</param>
/// <param name="Restored">The Services given back their original spec.</param>
public sealed record RoutingDisabled(string Root, IReadOnlyList<string> Restored);
