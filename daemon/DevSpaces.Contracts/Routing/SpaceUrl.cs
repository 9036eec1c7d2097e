namespace DevSpaces.Contracts;

/// <summary>A space and the URL that reaches the app as that space sees it (the host sets the routing key).</summary>
public sealed record SpaceUrl(string Space, string Url);
