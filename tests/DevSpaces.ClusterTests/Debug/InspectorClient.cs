using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DevSpaces.ClusterTests.Debug;

/// <summary>A minimal Chrome DevTools Protocol client over the V8 inspector's WebSocket: enough to set a breakpoint, see it hit and read a variable.</summary>
internal sealed class InspectorClient : IAsyncDisposable
{
    private readonly ClientWebSocket socket = new();
    private int nextId;

    public static async Task<string> FirstTargetAsync(int port, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var list = JsonNode.Parse(await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/json/list"), cancellationToken))!.AsArray();
        return list[0]!["webSocketDebuggerUrl"]!.GetValue<string>();
    }

    public static async Task<InspectorClient> ConnectAsync(string url, CancellationToken cancellationToken)
    {
        var client = new InspectorClient();
        await client.socket.ConnectAsync(new Uri(url), cancellationToken);
        return client;
    }

    /// <summary>Sends a command and returns its result, skipping the events that arrive before it.</summary>
    public async Task<JsonNode> CallAsync(string method, object? parameters, CancellationToken cancellationToken)
    {
        var id = ++nextId;
        var text = JsonSerializer.Serialize(new { id, method, @params = parameters ?? new { } });
        await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, cancellationToken);
        while (true)
        {
            var message = await ReceiveAsync(cancellationToken);
            if (message["id"]?.GetValue<int>() == id)
            {
                return message["result"] ?? throw new InvalidOperationException($"{method} failed: {message.ToJsonString()}");
            }
        }
    }

    /// <summary>Waits for the event <paramref name="method"/> and returns its params.</summary>
    public async Task<JsonNode> WaitForEventAsync(string method, CancellationToken cancellationToken)
    {
        while (true)
        {
            var message = await ReceiveAsync(cancellationToken);
            if (message["method"]?.GetValue<string>() == method)
            {
                return message["params"]!;
            }
        }
    }

    private async Task<JsonNode> ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        using var whole = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException("the inspector closed the connection");
            }

            whole.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return JsonNode.Parse(whole.ToArray())!;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (socket.State == WebSocketState.Open)
        {
            try
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            }
            catch (WebSocketException)
            {
            }
        }

        socket.Dispose();
    }
}
