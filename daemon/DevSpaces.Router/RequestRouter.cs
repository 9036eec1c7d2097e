using System.Diagnostics;
using System.Net;
using DevSpaces.Contracts;
using DevSpaces.Core.Routing;
using Yarp.ReverseProxy.Forwarder;

namespace DevSpaces.Router;

/// <summary>
/// Routes one HTTP request: the port it arrived on names the Service (the entry port: the space URLs' Service),
/// its key the space, the route table the version; YARP's forwarder carries it there. Every request is traced.
/// </summary>
public sealed class RequestRouter
{
    private readonly IHttpForwarder forwarder;
    private readonly ClusterRoutes routes;
    private readonly RouterConfig config;
    private readonly TraceBuffer traces;
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
        // The incoming traceparent is passed on as it came; the router adds no span of its own.
        ActivityHeadersPropagator = DistributedContextPropagator.CreateNoOutputPropagator(),
    });

    private readonly ForwarderRequestConfig requestConfig = new() { ActivityTimeout = TimeSpan.FromMinutes(2) };

    public RequestRouter(IHttpForwarder forwarder, ClusterRoutes routes, RouterConfig config, TraceBuffer traces)
    {
        this.forwarder = forwarder;
        this.routes = routes;
        this.config = config;
        this.traces = traces;
        byListen = config.Routes.Where(r => r.Http).ToDictionary(r => r.Listen);
        entry = config.EntryService is null ? null : config.Routes.FirstOrDefault(r => r.Http && r.Service == config.EntryService && r.Port == config.EntryPort);
    }

    public async Task RouteAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var arrived = DateTimeOffset.UtcNow;
        var local = context.Connection.LocalPort;
        var port = local == RoutingNames.EntryPort ? entry : byListen.GetValueOrDefault(local);
        if (port is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.WriteAsync($"devspaces-router: nothing is routed on port {local}{(local == RoutingNames.EntryPort ? " (no entry service)" : "")}.\n").ConfigureAwait(false);
            return;
        }

        var headers = context.Request.Headers;
        var key = RouteKey.Read(headers[RoutingNames.RouteAsHeader], headers[RoutingNames.BaggageHeader], context.Request.Host.Value, config.RootHost);
        var decision = routes.Current.Decide(port, key.Space);
        if (decision.Address is null)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await context.Response.WriteAsync($"devspaces-router: the baseline of service '{port.Service}' is not known yet.\n").ConfigureAwait(false);
        }
        else
        {
            var error = await forwarder.SendAsync(context, "http://" + decision.Address, client, requestConfig, RouteTransformer.For(decision.Space)).ConfigureAwait(false);
            if (error != ForwarderError.None && !context.Response.HasStarted && context.Response.StatusCode < 400)
            {
                context.Response.StatusCode = StatusCodes.Status502BadGateway;
            }
        }

        var path = context.Request.Path.Value + context.Request.QueryString.Value;
        traces.Add(new HttpTrace(
            0,
            arrived.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            key.Asked,
            key.Source.ToString().ToLowerInvariant(),
            decision.Space,
            port.Service,
            context.Request.Method,
            path.Length <= 200 ? path : path[..200] + "…",
            context.Response.StatusCode,
            Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            decision.ServedBy));
    }
}
