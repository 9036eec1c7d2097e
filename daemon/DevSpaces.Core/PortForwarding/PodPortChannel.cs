using System.Net.WebSockets;
using System.Text;

namespace DevSpaces.Core.PortForwarding;

/// <summary>
/// One TCP connection to a pod port, carried by its own API-server WebSocket (<c>v4.channel.k8s.io</c>): every
/// message starts with a channel byte, channel 0 carries data and channel 1 error text, and the server opens each
/// channel with the port number (2 bytes). A WebSocket per connection keeps connections independent: no
/// head-of-line blocking, and one slow reader cannot stall the others.
/// </summary>
/// <remarks>
/// The protocol has no half-close: the pod side cannot be told that we stopped sending, so after local EOF the
/// connection stays open until the pod closes it. Data is read straight into the caller's buffer, without the
/// intermediate buffering of <c>StreamDemuxer</c>, because this path carries all forwarded bytes.
/// </remarks>
public sealed class PodPortChannel(WebSocket socket) : IPodChannel
{
    private const byte DataChannel = 0;
    private const byte ErrorChannel = 1;

    private readonly StringBuilder _error = new();
    private readonly bool[] _portPrefixSeen = new bool[2];
    private bool _inMessage;
    private byte _channel;
    private int _prefixBytesLeft;
    private Task<int>? _early;
    private byte[]? _earlyBuffer;
    private int _earlyOffset;
    private int _earlyCount;

    /// <summary>The channel byte in front of each message.</summary>
    public int Headroom => 1;

    /// <summary>Error text the API server or kubelet sent for this connection (e.g. the port refused it).</summary>
    public string? Error => _error.Length == 0 ? null : _error.ToString().Trim();

    /// <summary>
    /// Reads the next chunk of pod data to the start of <paramref name="buffer"/> and returns its length; 0 means
    /// the pod side closed.
    /// </summary>
    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (_early is not null)
        {
            _earlyCount = await _early.WaitAsync(cancellationToken).ConfigureAwait(false);
            _early = null;
        }

        if (_earlyCount > 0)
        {
            // Hand out what the early read got before reading on.
            var n = Math.Min(_earlyCount, buffer.Length);
            _earlyBuffer.AsSpan(_earlyOffset, n).CopyTo(buffer.Span);
            _earlyOffset += n;
            _earlyCount -= n;
            return n;
        }

        var chunk = await ReadChunkAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (chunk.Length > 0 && buffer.Span.Overlaps(chunk.Span, out var offset) && offset != 0)
        {
            // Drop the channel byte in front of the data; an overlapping copy is a memmove.
            chunk.Span.CopyTo(buffer.Span);
        }

        return chunk.Length;
    }

    private async ValueTask<Memory<byte>> ReadChunkAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            ValueWebSocketReceiveResult result;
            try
            {
                result = await socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException || (e is ObjectDisposedException && cancellationToken == CancellationToken.None))
            {
                // The server side went away without a close frame (or an unused reserve connection was disposed
                // under its early read): for a forward that is the end of the stream.
                return Memory<byte>.Empty;
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return Memory<byte>.Empty;
            }

            var chunk = buffer[..result.Count];
            if (!_inMessage)
            {
                if (chunk.Length == 0)
                {
                    continue;
                }

                _channel = chunk.Span[0];
                chunk = chunk[1..];
                _inMessage = true;
                if (_channel <= ErrorChannel && !_portPrefixSeen[_channel])
                {
                    _portPrefixSeen[_channel] = true;
                    _prefixBytesLeft = 2;
                }
            }

            if (_prefixBytesLeft > 0)
            {
                var skip = Math.Min(_prefixBytesLeft, chunk.Length);
                chunk = chunk[skip..];
                _prefixBytesLeft -= skip;
            }

            if (result.EndOfMessage)
            {
                _inMessage = false;
            }

            if (_channel == ErrorChannel)
            {
                _error.Append(Encoding.UTF8.GetString(chunk.Span));
                continue;
            }

            if (_channel == DataChannel && chunk.Length > 0)
            {
                return chunk;
            }
        }
    }

    /// <summary>
    /// Starts reading before anyone asked, for a connection kept in reserve: if the pod side closes it meanwhile
    /// (<see cref="HasEnded"/>) it must not be handed out, and data the server sends first (a banner) is kept
    /// for the first <see cref="ReadAsync"/>.
    /// </summary>
    public void StartEarlyRead()
    {
        _earlyBuffer = new byte[16 * 1024];
        _early = ReadAsync(_earlyBuffer, CancellationToken.None).AsTask();
    }

    /// <summary>True when an early read found the pod side closed (or failed).</summary>
    public bool HasEnded => _early is { IsCompleted: true } early && (!early.IsCompletedSuccessfully || early.Result == 0);

    /// <summary>
    /// Sends <paramref name="count"/> bytes that the caller placed at <c>buffer[1..]</c>; <c>buffer[0]</c> is reserved
    /// for the channel byte so that no copy is needed.
    /// </summary>
    /// <remarks>
    /// A failed send is an <see cref="IOException"/>, as for any stream: the WebSocket reports the connection's end
    /// (and a send after a cancelled one aborted it) as a <see cref="WebSocketException"/>, which callers of a stream
    /// do not expect.
    /// </remarks>
    public ValueTask WriteAsync(Memory<byte> buffer, int count, CancellationToken cancellationToken)
    {
        buffer.Span[0] = DataChannel;
        ValueTask sending;
        try
        {
            sending = socket.SendAsync(buffer[..(count + 1)], WebSocketMessageType.Binary, true, cancellationToken);
        }
        catch (WebSocketException e)
        {
            return ValueTask.FromException(Ended(e));
        }

        return sending.IsCompletedSuccessfully ? sending : AwaitSendAsync(sending);
    }

    private static async ValueTask AwaitSendAsync(ValueTask sending)
    {
        try
        {
            await sending.ConfigureAwait(false);
        }
        catch (WebSocketException e)
        {
            throw Ended(e);
        }
    }

    private static IOException Ended(WebSocketException e) => new($"The connection to the pod ended: {e.Message}", e);

    /// <summary>The protocol has no half-close: the pod side learns only when the connection is disposed.</summary>
    public ValueTask CompleteWritesAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                // Closing is best effort: the server may already be gone.
            }
        }

        socket.Dispose();
    }
}
