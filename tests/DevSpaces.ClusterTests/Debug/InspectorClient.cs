using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace DevSpaces.ClusterTests.Debug;

/// <summary>
/// A minimal Chrome DevTools Protocol client over the V8 inspector's WebSocket: enough to set a breakpoint, see it hit and
/// read a variable. One loop reads the connection, so its end is seen (<see cref="Ended"/>) while nothing is awaited.
/// </summary>
internal sealed class InspectorClient : IAsyncDisposable
{
    private readonly ClientWebSocket socket = new();
    private readonly Channel<JsonNode> messages = Channel.CreateUnbounded<JsonNode>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private Task reading = Task.CompletedTask;
    private int nextId;

    private InspectorClient()
    {
        // Node's inspector accepts only text and close frames: a ping or pong frame is a protocol error to it, and it
        // closes the connection. .NET's client sends a pong every 30 s of silence unless told not to, which ended every
        // debugger connection idle for 30 s (a process paused at a breakpoint). VS Code's JavaScript debugger sends none.
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
    }

    /// <summary>Completes when the connection ends, with what ended it.</summary>
    public Task Ended => reading;

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
        client.reading = client.ReadAsync();
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
        try
        {
            return await messages.Reader.ReadAsync(cancellationToken);
        }
        catch (ChannelClosedException)
        {
            await reading;
            throw new InvalidOperationException("the inspector closed the connection");
        }
    }

    // Every message in order into the channel; the channel is completed when the connection ends, and this task ends
    // as the connection did (a close frame: done; a cut connection: its exception).
    private async Task ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        using var whole = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                whole.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    messages.Writer.TryWrite(JsonNode.Parse(whole.ToArray())!);
                    whole.SetLength(0);
                }
            }
        }
        finally
        {
            messages.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            }

            await reading.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is WebSocketException or TimeoutException)
        {
        }
        finally
        {
            socket.Abort();
            socket.Dispose();
        }
    }
}
