using System.Runtime.InteropServices;
using System.Text.Json;
using DevSpaces.Core.Logging;
using LogLevel = DevSpaces.Core.Logging.LogLevel;
using DevSpaces.Core.Routing;
using DevSpaces.Router;
using k8s;
using Microsoft.AspNetCore.Server.Kestrel.Core;

// The router logs to stderr; the kubelet keeps it as the container log.
var log = new TextWriterLog(LogLevel.Info, Console.Error);
RouterConfig config;
try
{
    config = RouterConfig.FromJson(Environment.GetEnvironmentVariable(RouterEnvironment.Routes) ?? throw new JsonException($"{RouterEnvironment.Routes} is not set"));
}
catch (JsonException e)
{
    log.Write(LogLevel.Error, $"devspaces-router: no routes: {e.Message}");
    return 2;
}

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    kestrel.ListenAnyIP(RoutingNames.AdminPort);
    kestrel.ListenAnyIP(RoutingNames.EntryPort, listen => listen.Protocols = HttpProtocols.Http1);
    foreach (var route in config.Routes.Where(r => r.Http))
    {
        // Without TLS there is no negotiation: an h2c port takes HTTP/2 only (prior knowledge), the others HTTP/1.1
        // (WebSockets upgrade from it).
        kestrel.ListenAnyIP(route.Listen, listen => listen.Protocols = route.H2c ? HttpProtocols.Http2 : HttpProtocols.Http1);
    }
});
// Kestrel runs each connection's request processing on the socket thread that completed its read (and its sends
// likewise) instead of handing it to the thread pool: the runtime's own socket completions already run there
// (DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 in the image), and nothing on a request's path blocks. Without it
// every request woke a pool thread two or three times: bench/router.
builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = Environment.GetEnvironmentVariable(RouterEnvironment.InlineScheduling) != "0");
builder.Services.AddHttpForwarder();

using var client = new Kubernetes(KubernetesClientConfiguration.InClusterConfig());
await using var routes = new ClusterRoutes(client, config, log);
var traces = new TraceBuffer();
await using var app = builder.Build();
var router = new RequestRouter(app.Services.GetRequiredService<Yarp.ReverseProxy.Forwarder.IHttpForwarder>(), routes, config, traces);
var admin = new AdminEndpoint(routes, traces);
app.Run(context => context.Connection.LocalPort == RoutingNames.AdminPort ? admin.ServeAsync(context) : router.RouteAsync(context));

using var stop = new CancellationTokenSource();
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});

routes.Start();
var passThrough = config.Routes.Where(r => !r.Http).Select(r => TcpPassThrough.RunAsync(r, routes, log, stop.Token)).ToList();
log.Info($"devspaces-router for root space {config.Root}: {config.Routes.Count} routed port(s), space URLs *.s.{config.RootHost} to {config.EntryService ?? "(none)"}");
await app.StartAsync(stop.Token);
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
}

// Endpoints and the node's proxy rules follow a terminating pod a moment later: keep serving meanwhile.
await Task.Delay(TimeSpan.FromSeconds(2));
await app.StopAsync(CancellationToken.None);
await Task.WhenAll(passThrough);
log.Info("stopped");
return 0;
