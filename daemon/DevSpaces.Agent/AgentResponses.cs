using System.Text;

namespace DevSpaces.Agent;

/// <summary>Plain-text HTTP answers for clients whose connection the agent cannot carry.</summary>
public static class AgentResponses
{
    public const string NotConnected =
        "The developer machine serving this service through DevSpaces connect is not attached right now (reconnecting, or the session is ending).";

    public static async Task WriteAsync(Stream stream, string text, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(text + "\n");
        var head = Encoding.ASCII.GetBytes($"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
        try
        {
            await stream.WriteAsync(head.Concat(body).ToArray(), cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The client is gone already.
        }
    }
}
