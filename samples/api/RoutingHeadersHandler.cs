namespace DevSpacesSample.Api;

/// <summary>
/// Copies the routing headers of the request being served onto every outgoing call, which is all an
/// app has to do for dev-space routing to reach the right version of the services it calls.
/// </summary>
public sealed class RoutingHeadersHandler(IHttpContextAccessor accessor) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (accessor.HttpContext is { } context)
        {
            foreach (var name in RoutingHeaders.Propagated)
            {
                var values = context.Request.Headers[name];
                if (values.Count > 0)
                {
                    request.Headers.Remove(name);
                    request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
                }
            }
        }

        return base.SendAsync(request, cancellationToken);
    }
}
