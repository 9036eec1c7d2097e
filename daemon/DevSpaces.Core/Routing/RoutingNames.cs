namespace DevSpaces.Core.Routing;

/// <summary>The names routing puts on the wire and into the cluster; the router and the daemon share them.</summary>
public static class RoutingNames
{
    /// <summary>The request header naming the space a request chain is for.</summary>
    public const string RouteAsHeader = "devspaces-route-as";

    /// <summary>The W3C baggage header, and the key in it that names the space.</summary>
    public const string BaggageHeader = "baggage";

    public const string BaggageKey = "devspaces.space";

    /// <summary>The router's Deployment, Service, ServiceAccount and Role in the root namespace.</summary>
    public const string Router = "devspaces-router";

    /// <summary>The ConfigMap in the root namespace with the route table and the space tree the router follows.</summary>
    public const string ConfigMap = "devspaces-routing";

    /// <summary>The ConfigMap's key holding the <see cref="RouterConfig"/> (JSON).</summary>
    public const string RoutesKey = "routes.json";

    /// <summary>The ConfigMap's key holding the descendant spaces of the root (JSON list of <see cref="RoutedSpace"/>).</summary>
    public const string SpacesKey = "spaces.json";

    /// <summary>The Role and RoleBinding in each child space letting the router read its Services.</summary>
    public const string ChildReader = "devspaces-router-reader";

    /// <summary>Label on the router's pods; a routed Service's selector is this label alone.</summary>
    public const string RouterLabel = "devspaces.io/router";

    /// <summary>Label on everything routing created, with what it is (router, baseline, reader).</summary>
    public const string PartLabel = "devspaces.io/routing";

    /// <summary>Annotation on a routed Service holding its original spec (JSON), restored exactly by <c>routing disable</c>.</summary>
    public const string OriginalSpecAnnotation = "devspaces.io/routing-original-spec";

    /// <summary>The router's own ports: the space URLs (node port), traces and health.</summary>
    public const int EntryPort = 8080;

    public const int AdminPort = 8081;

    /// <summary>The first port the router listens on for a routed Service port; one each, in route order.</summary>
    public const int FirstRoutePort = 9000;
}
