namespace DevSpaces.Contracts;

/// <summary>Answer to <c>routing/enable</c>.</summary>
/// <param name="Root">The root space.</param>
/// <param name="Services">The Services the router fronts.</param>
/// <param name="Entry">The Service the space URLs lead to, or null.</param>
/// <param name="Spaces">Each space of the tree (root first) with its URL.</param>
public sealed record RoutingInfo(string Root, IReadOnlyList<string> Services, string? Entry, IReadOnlyList<SpaceUrl> Spaces);
