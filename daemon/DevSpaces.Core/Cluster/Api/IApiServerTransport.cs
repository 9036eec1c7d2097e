namespace DevSpaces.Core.Cluster.Api;

/// <summary>Sends one request to the API server and returns once the response's headers arrived (the body streams).</summary>
public interface IApiServerTransport : IDisposable
{
    Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken);
}
