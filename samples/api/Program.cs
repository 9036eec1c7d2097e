using System.Diagnostics;
using System.Net;
using DevSpacesSample.Api;

var settings = ApiSettings.FromEnvironment(Environment.GetEnvironmentVariable);
if (settings.Error is { } settingsError)
{
    Console.Error.WriteLine($"api: {settingsError}");
    return 2;
}

var builder = WebApplication.CreateBuilder(args);
builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole(o =>
{
    o.SingleLine = true;
    o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
    o.UseUtcTimestamp = true;
});
// One line per request comes from the middleware below; framework chatter stays out of the way.
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Any, settings.Port));

var identity = new ServiceIdentity("api", settings.Version, $".NET {Environment.Version}",
    Environment.MachineName, settings.Space);
builder.Services.AddSingleton(identity);
builder.Services.AddHttpContextAccessor();
builder.Services.AddTransient<RoutingHeadersHandler>();
builder.Services.AddHttpClient<QuotesClient>(c =>
{
    c.BaseAddress = settings.QuotesUrl;
    c.Timeout = TimeSpan.FromSeconds(5);
}).AddHttpMessageHandler<RoutingHeadersHandler>();

var app = builder.Build();

// A graceful stop: after SIGTERM the api keeps serving for a moment and answers with "Connection: close", so a client
// that keeps a connection to this pod (a front end's pool) opens its next one to a pod still in the Service's
// endpoints, instead of losing the request it sends at the moment a kept-alive connection is cut. The deployment sets
// how long (SHUTDOWN_DRAIN_SECONDS); without it the api stops at once, as a restart in a dev loop wants.
var drain = TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable("SHUTDOWN_DRAIN_SECONDS"), out var drainSeconds) ? drainSeconds : 0);
var stopping = app.Lifetime.ApplicationStopping;
app.Use((context, next) =>
{
    if (stopping.IsCancellationRequested)
    {
        context.Response.Headers.Connection = "close";
    }

    return next(context);
});

app.Use(async (context, next) =>
{
    var watch = Stopwatch.StartNew();
    try
    {
        await next(context);
    }
    finally
    {
        var routeAs = context.Request.Headers[RoutingHeaders.RouteAs].ToString();
        Console.Out.WriteLine(
            $"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} api {context.Request.Method} {context.Request.Path} " +
            $"{context.Response.StatusCode} {watch.ElapsedMilliseconds}ms route-as={(routeAs.Length == 0 ? "-" : routeAs)}");
    }
});

app.MapGet("/healthz", () => Results.Json(new { status = "ok", service = identity.Service }));

app.MapGet("/", Greeting.HandleAsync);
app.MapGet("/greeting", Greeting.HandleAsync);

app.MapFallback((HttpContext context) => Results.Json(
    new { service = identity.Service, error = $"no route for {context.Request.Method} {context.Request.Path}; try GET /greeting or GET /healthz" },
    statusCode: StatusCodes.Status404NotFound));

app.Lifetime.ApplicationStarted.Register(() => Console.Out.WriteLine(
    $"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} api listening on 0.0.0.0:{settings.Port} " +
    $"(version {identity.Version}, space {identity.Space}, quotes at {settings.QuotesUrl}, {identity.Runtime})"));
app.Lifetime.ApplicationStopping.Register(() =>
{
    Console.Out.WriteLine($"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} api received shutdown signal, draining for {drain.TotalSeconds:0} s");
    if (drain > TimeSpan.Zero)
    {
        Thread.Sleep(drain);
    }
});

await app.RunAsync();
Console.Out.WriteLine($"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} api stopped");
return 0;
