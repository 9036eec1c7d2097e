using System.Net;
using System.Text;
using DevSpaces.Core.Cluster.Api;

namespace DevSpaces.Tests.Cluster;

/// <summary>Answers each request with the next scripted status and body; records what was asked and with which Authorization.</summary>
public sealed class FakeApiServerTransport : IApiServerTransport
{
    private readonly Queue<(HttpStatusCode Status, string Body)> answers = new();

    public List<(string Url, string? Authorization, string? Accept)> Requests { get; } = [];

    public FakeApiServerTransport Answer(string body, HttpStatusCode status = HttpStatusCode.OK)
    {
        answers.Enqueue((status, body));
        return this;
    }

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Add((request.RequestUri!.AbsoluteUri, request.Headers.Authorization?.ToString(), request.Headers.Accept.ToString()));
        var (status, body) = answers.Dequeue();
        return Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
    }

    public void Dispose()
    {
    }
}
