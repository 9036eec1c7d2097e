using System.Diagnostics;
using System.Net;
using DevSpaces.Contracts;
using DevSpaces.Core.Routing;
using Yarp.ReverseProxy.Forwarder;

namespace DevSpaces.Router;

/// <summary>
/// Routes one HTTP request: the port it arrived on names the Service (the entry port: the space URLs' Service),
/// its key the space, the route table the version; YARP's forwarder carries it there. Every request is traced, and a
/// request without a key that belongs to a chain for a child space is marked with where the key was lost.
/// </summary>
public sealed class RequestRouter
{
    private readonly IHttpForwarder forwarder;
    private readonly ClusterRoutes routes;
    private readonly RouterConfig config;
    private readonly TraceBuffer traces;
    private readonly PropagationCheck propagation;
    private readonly Dictionary<int, RoutedPort> byListen;
    private readonly RoutedPort? entry;
    private readonly HttpMessageInvoker client = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(50),
        EnableMultipleHttp2Connections = true,
        // The incoming traceparent is passed on as it came; the router adds no span of its own.
        ActivityHeadersPropagator = DistributedContextPropagator.CreateNoOutputPropagator(),
    });

    private readonly ForwarderRequestConfig requestConfig = new() { ActivityTimeout = TimeSpan.FromMinutes(2) };

    // HTTP/2 arrives only on h2c ports and goes on as HTTP/2 with prior knowledge: over plain HTTP nothing negotiates.
    private readonly ForwarderRequestConfig h2cConfig = new()
    {
        ActivityTimeout = TimeSpan.FromMinutes(2),
        Version = HttpVersion.Version20,
        VersionPolicy = HttpVersionPolicy.RequestVersionExact,
    };

    public RequestRouter(IHttpForwarder forwarder, ClusterRoutes routes, RouterConfig config, TraceBuffer traces)
    {
        this.forwarder = forwarder;
        this.routes = routes;
        this.config = config;
        this.traces = traces;
        propagation = new PropagationCheck(config.Root);
        byListen = config.Routes.Where(r => r.Http).ToDictionary(r => r.Listen);
        entry = config.EntryService is null ? null : config.Routes.FirstOrDefault(r => r.Http && r.Service == config.EntryService && r.Port == config.EntryPort);
    }

    public async Task RouteAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var arrived = DateTime.UtcNow;
        var local = context.Connection.LocalPort;
        var port = local == RoutingNames.EntryPort ? entry : byListen.GetValueOrDefault(local);
        if (port is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.WriteAsync($"devspaces-router: nothing is routed on port {local}{(local == RoutingNames.EntryPort ? " (no entry service)" : "")}.\n").ConfigureAwait(false);
            return;
        }

        var request = context.Request;
        var headers = request.Headers;
        var routeAs = headers[RoutingNames.RouteAsHeader];
        var baggage = headers.Baggage;
        var host = request.Host.Value;
        // Most requests carry no key at all: they are told apart without reading one.
        var key = routeAs.Count == 0 && baggage.Count == 0 && (host is null || !host.Contains(".s.", StringComparison.Ordinal))
            ? RouteKey.None
            : RouteKey.Read(routeAs, baggage, host, config.RootHost);
        var decision = routes.Current.Decide(port, key.Space);
        var traceparent = headers.TraceParent.Count == 1 ? headers.TraceParent[0] : null;
        var from = context.Connection.RemoteIpAddress;
        var keyed = key.Space is null ? null : propagation.KeyedArrived(key.Space, port.Service, decision.ServedBy, traceparent, from);
        var dropped = key.Source == RouteKeySource.None ? propagation.Check(port.Service, traceparent, from) : null;
        try
        {
            if (decision.Destination is null)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                await context.Response.WriteAsync($"devspaces-router: the baseline of service '{port.Service}' is not known yet.\n").ConfigureAwait(false);
            }
            else
            {
                var error = await forwarder.SendAsync(context, decision.Destination, client, port.H2c ? h2cConfig : requestConfig, RouteTransformer.For(decision.Space)).ConfigureAwait(false);
                if (error != ForwarderError.None && !context.Response.HasStarted && context.Response.StatusCode < 400)
                {
                    context.Response.StatusCode = StatusCodes.Status502BadGateway;
                }
            }
        }
        finally
        {
            propagation.Completed(keyed);
        }

        traces.Add(new TraceBuffer.Seen(
            arrived, key, decision, port.Service, request.Method, request.Path.Value + request.QueryString.Value, context.Response.StatusCode,
            Stopwatch.GetElapsedTime(started).TotalMilliseconds, dropped));
    }
}
