using System.Text.Json;
using DevSpaces.Contracts;
using DevSpaces.Core.Routing;

namespace DevSpaces.Router;

/// <summary>
/// The router's own port: <c>/healthz</c> (ready once the routes are read) and <c>/traces?after=N&amp;wait=S</c>
/// (the traces after sequence N as JSON, waiting up to S seconds, at most 30, for the first one).
/// </summary>
public sealed class AdminEndpoint(ClusterRoutes routes, TraceBuffer traces)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task ServeAsync(HttpContext context)
    {
        switch (context.Request.Path.Value)
        {
            case "/healthz":
                context.Response.StatusCode = routes.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
                await context.Response.WriteAsync(routes.Ready ? "ok\n" : "reading the routes\n").ConfigureAwait(false);
                return;
            case "/traces":
                var query = context.Request.Query;
                var after = long.TryParse(query["after"], out var a) ? a : 0;
                var wait = TimeSpan.FromSeconds(Math.Clamp(double.TryParse(query["wait"], out var w) ? w : 0, 0, 30));
                IReadOnlyList<HttpTrace> found;
                try
                {
                    found = wait > TimeSpan.Zero
                        ? await traces.WaitAfterAsync(after, wait, context.RequestAborted).ConfigureAwait(false)
                        : traces.After(after);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                context.Response.ContentType = "application/json";
                await JsonSerializer.SerializeAsync(context.Response.Body, found, Json, context.RequestAborted).ConfigureAwait(false);
                return;
            default:
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
        }
    }
}
