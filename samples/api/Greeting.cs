namespace DevSpacesSample.Api;

/// <summary>The greeting endpoint: this service's identity plus what the quotes service returned.</summary>
public static class Greeting
{
    public static async Task<IResult> HandleAsync(HttpContext context, ServiceIdentity identity, QuotesClient quotes,
        CancellationToken cancellationToken)
    {
        var routeAs = HeaderOrNull(context, RoutingHeaders.RouteAs);
        var baggage = HeaderOrNull(context, RoutingHeaders.Baggage);
        try
        {
            var quote = await quotes.GetQuoteAsync(cancellationToken);
            return Results.Json(new
            {
                service = identity.Service,
                version = identity.Version,
                runtime = identity.Runtime,
                hostname = identity.Hostname,
                space = identity.Space,
                routeAs,
                baggage,
                message = $"Hello from the DevSpaces sample API in space '{identity.Space}'",
                quotes = quote,
            });
        }
        catch (QuotesUnavailableException e)
        {
            return Results.Json(new
            {
                service = identity.Service,
                version = identity.Version,
                runtime = identity.Runtime,
                hostname = identity.Hostname,
                space = identity.Space,
                routeAs,
                baggage,
                error = e.Message,
            }, statusCode: StatusCodes.Status502BadGateway);
        }
    }

    private static string? HeaderOrNull(HttpContext context, string name)
    {
        var value = context.Request.Headers[name].ToString();
        return value.Length == 0 ? null : value;
    }
}
