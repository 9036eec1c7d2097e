namespace DevSpaces.Core.Routing;

/// <summary>A descendant space of a routed root and its parent, as the router's space tree lists it.</summary>
public sealed record RoutedSpace(string Name, string Parent);
