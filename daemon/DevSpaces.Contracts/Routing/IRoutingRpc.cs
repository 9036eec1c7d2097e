using StreamJsonRpc;

namespace DevSpaces.Contracts;

/// <summary>Routing between the spaces of a root space: a router in front of the root's HTTP Services.</summary>
[JsonRpcContract]
public partial interface IRoutingRpc
{
    /// <summary>
    /// Puts the router in front of the HTTP Services of root space <paramref name="space"/> (again: refreshes the
    /// routes and the space tree). <paramref name="host"/>: the host the space URLs are under (default
    /// <c>&lt;space&gt;.localhost</c>); <paramref name="entry"/>: the Service the space URLs lead to (default: the
    /// root's NodePort or LoadBalancer Service, else its only routed one).
    /// </summary>
    [JsonRpcMethod("routing/enable")]
    Task<RoutingInfo> EnableRoutingAsync(string space, string? host = null, string? entry = null, CancellationToken cancellationToken = default);

    /// <summary>Removes the router of root space <paramref name="space"/> and restores every Service it fronted exactly.</summary>
    [JsonRpcMethod("routing/disable")]
    Task<RoutingDisabled> DisableRoutingAsync(string space, CancellationToken cancellationToken = default);

    /// <summary>
    /// The HTTP traces of the router of <paramref name="space"/>'s root after sequence <paramref name="after"/>
    /// (0: all it holds), waiting up to <paramref name="waitSeconds"/> (at most 30) for the first; with
    /// <paramref name="forSpace"/>, only requests for or served by that space.
    /// </summary>
    [JsonRpcMethod("routing/traces")]
    Task<TraceBatch> GetTracesAsync(string space, long after = 0, int waitSeconds = 0, string? forSpace = null, CancellationToken cancellationToken = default);
}
