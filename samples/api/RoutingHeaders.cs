namespace DevSpacesSample.Api;

/// <summary>The request headers that carry the dev-space routing key from hop to hop.</summary>
public static class RoutingHeaders
{
    public const string RouteAs = "devspaces-route-as";

    public const string Baggage = "baggage";

    public static readonly IReadOnlyList<string> Propagated = [RouteAs, Baggage];
}
