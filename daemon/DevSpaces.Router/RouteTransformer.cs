using DevSpaces.Core.Routing;
using Yarp.ReverseProxy.Forwarder;

namespace DevSpaces.Router;

/// <summary>
/// Copies the request as it came (its Host too: a Service is transparent, so is the router), with the routing key
/// made explicit for the backend: the one space of this tree the request is for, or no key at all for the baseline.
/// The router only ever sends to cluster IPs of the tree's Services, so the key never leaves the cluster from here.
/// </summary>
public sealed class RouteTransformer : HttpTransformer
{
    private readonly string? space;

    private RouteTransformer(string? space) => this.space = space;

    /// <summary>For requests that go to the baseline without a key.</summary>
    public static readonly RouteTransformer Baseline = new(null);

    public static RouteTransformer For(string? space) => space is null ? Baseline : new RouteTransformer(space);

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken).ConfigureAwait(false);
        proxyRequest.Headers.Remove(RoutingNames.RouteAsHeader);
        if (space is not null)
        {
            proxyRequest.Headers.TryAddWithoutValidation(RoutingNames.RouteAsHeader, space);
        }

        proxyRequest.Headers.Host = httpContext.Request.Host.Value;
    }
}
