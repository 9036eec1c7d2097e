using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using k8s;

namespace DevSpaces.Core.PortForwarding.Spdy;

/// <summary>
/// One SPDY/3.1 connection to a pod's port-forward endpoint, as <c>kubectl port-forward</c> uses: each forwarded
/// TCP connection is a pair of streams on it (error and data, tied by a request id), so a new connection costs
/// two frames instead of a WebSocket upgrade with its two TLS handshakes. The kubelet does no SPDY flow control;
/// a pod connection whose local reader stalls holds up the others on the same session, as it does for kubectl.
/// </summary>
/// <remarks>
/// Every connection's frames share one byte stream and one header compression state, so a write cancelled after it
/// began (part of a frame may have gone out, and nothing after it could be read right) ends the session: its
/// connections end, and the next ones are opened on a new session. A write cancelled while it waits for its turn
/// leaves the session as it was.
/// </remarks>
public sealed class SpdySession : IPodSession
{
    private readonly Stream _transport;
    private readonly SemaphoreSlim _write = new(1, 1);
    private readonly ConcurrentDictionary<uint, SpdyPodChannel> _streams = new();
    private readonly Task _reading;
    private uint _nextStreamId = 1;
    private long _nextRequestId;
    private bool _headerStreamStarted;
    private volatile bool _goingAway;
    private int _disposed;

    private SpdySession(Stream transport)
    {
        _transport = transport;
        _reading = Task.Run(ReadLoopAsync);
    }

    /// <summary>A session on <paramref name="transport"/>, a connection already upgraded to SPDY/3.1 (as <see cref="ConnectAsync"/> upgrades one).</summary>
    public static SpdySession Over(Stream transport) => new(transport);

    public bool IsOpen => !_goingAway && !_reading.IsCompleted && Volatile.Read(ref _disposed) == 0;

    public int ActiveChannels => _streams.Values.Distinct().Count();

    /// <summary>Upgrades a request to the pod's port-forward subresource to SPDY/3.1.</summary>
    /// <exception cref="PortForwardUpgradeRefusedException">The API server answered with anything but 101.</exception>
    public static async Task<SpdySession> ConnectAsync(IKubernetes client, string @namespace, string pod, CancellationToken cancellationToken)
    {
        if (client is not Kubernetes kubernetes)
        {
            throw new PortForwardUpgradeRefusedException(0, "the client cannot make raw requests");
        }

        var baseUri = kubernetes.BaseUri.AbsoluteUri.EndsWith('/') ? kubernetes.BaseUri : new Uri(kubernetes.BaseUri.AbsoluteUri + "/");
        var uri = new Uri(baseUri, $"api/v1/namespaces/{Uri.EscapeDataString(@namespace)}/pods/{Uri.EscapeDataString(pod)}/portforward");
        using var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.TryAddWithoutValidation("Connection", "Upgrade");
        request.Headers.TryAddWithoutValidation("Upgrade", "SPDY/3.1");
        request.Headers.TryAddWithoutValidation("X-Stream-Protocol-Version", "portforward.k8s.io");
        if (kubernetes.Credentials is { } credentials)
        {
            await credentials.ProcessHttpRequestAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var response = await kubernetes.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.SwitchingProtocols)
        {
            using (response)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                throw new PortForwardUpgradeRefusedException((int)response.StatusCode, body.Length > 200 ? body[..200] : body);
            }
        }

        return new SpdySession(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Opens a connection to <paramref name="port"/> of the pod: an error stream, then a data stream.</summary>
    public async Task<IPodChannel> OpenAsync(int port, CancellationToken cancellationToken)
    {
        if (!IsOpen)
        {
            throw new IOException("The SPDY connection to the pod is closed.");
        }

        var requestId = (Interlocked.Increment(ref _nextRequestId) - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var portText = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await _write.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Stream ids must rise in the order their SYN_STREAMs go out, so they are taken under the write lock.
            var errorId = _nextStreamId;
            var dataId = errorId + 2;
            _nextStreamId += 4;
            var channel = new SpdyPodChannel(this, dataId, errorId);
            _streams[errorId] = channel;
            _streams[dataId] = channel;
            var finish = new byte[SpdyFrames.HeaderLength];
            SpdyFrames.WriteDataHeader(finish, errorId, 0, SpdyFrames.FlagFin);
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await _transport.WriteAsync(SpdyFrames.SynStreamFrame(errorId, [("streamtype", "error"), ("port", portText), ("requestid", requestId)], !_headerStreamStarted), cancellationToken).ConfigureAwait(false);
                _headerStreamStarted = true;
                // The error stream only carries text from the server.
                await _transport.WriteAsync(finish, cancellationToken).ConfigureAwait(false);
                await _transport.WriteAsync(SpdyFrames.SynStreamFrame(dataId, [("streamtype", "data"), ("port", portText), ("requestid", requestId)], false), cancellationToken).ConfigureAwait(false);
                await _transport.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Break();
                throw;
            }

            return channel;
        }
        finally
        {
            _write.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _transport.DisposeAsync().ConfigureAwait(false);
        try
        {
            await _reading.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The reader ends with the transport (or soon after); its failures are the connection's end.
        }

        _write.Dispose();
    }

    internal async ValueTask SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        await _write.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await _transport.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
                await _transport.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Break();
                throw;
            }
        }
        finally
        {
            _write.Release();
        }
    }

    /// <summary>
    /// Ends the session after a write was cancelled part way (see the remarks above): closing the transport ends the
    /// reader, which ends every connection on it.
    /// </summary>
    private void Break()
    {
        _goingAway = true;
        _transport.Dispose();
    }

    internal void Forget(SpdyPodChannel channel)
    {
        _streams.TryRemove(channel.DataStreamId, out _);
        _streams.TryRemove(channel.ErrorStreamId, out _);
    }

    private async Task ReadLoopAsync()
    {
        var header = new byte[SpdyFrames.HeaderLength];
        var scratch = new byte[16 * 1024];
        try
        {
            while (await ReadHeaderAsync(header).ConfigureAwait(false))
            {
                var frame = SpdyFrames.ReadHeader(header);
                if (!frame.Control)
                {
                    if (_streams.TryGetValue(frame.StreamId, out var channel))
                    {
                        await channel.ReceiveAsync(frame, _transport, scratch).ConfigureAwait(false);
                    }
                    else
                    {
                        await SkipAsync(frame.Length, scratch).ConfigureAwait(false);
                    }

                    continue;
                }

                var body = frame.Length <= scratch.Length ? scratch.AsMemory(0, frame.Length) : new byte[frame.Length];
                await _transport.ReadExactlyAsync(body).ConfigureAwait(false);
                switch (frame.Type)
                {
                    case SpdyFrames.RstStream when body.Length >= 8:
                        var id = BinaryPrimitives.ReadUInt32BigEndian(body.Span) & 0x7fffffff;
                        if (_streams.TryGetValue(id, out var reset))
                        {
                            reset.Reset(id, (int)BinaryPrimitives.ReadUInt32BigEndian(body.Span[4..]));
                        }

                        break;
                    case SpdyFrames.Ping when body.Length >= 4 && (BinaryPrimitives.ReadUInt32BigEndian(body.Span) & 1) == 0:
                        // A ping the server started (even id) is answered with the same id.
                        await SendAsync(SpdyFrames.PingFrame(BinaryPrimitives.ReadUInt32BigEndian(body.Span)), CancellationToken.None).ConfigureAwait(false);
                        break;
                    case SpdyFrames.GoAway:
                        _goingAway = true;
                        break;
                    default:
                        // SYN_REPLY, SETTINGS, HEADERS, WINDOW_UPDATE: nothing to do (their header blocks are not needed).
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidDataException or OperationCanceledException
                                   or System.Net.Sockets.SocketException or EndOfStreamException)
        {
            // The connection ended; every stream on it ends below.
        }
        finally
        {
            _goingAway = true;
            foreach (var channel in _streams.Values.Distinct().ToList())
            {
                channel.Reset(channel.DataStreamId, -1);
            }
        }
    }

    private async Task<bool> ReadHeaderAsync(byte[] header)
    {
        var read = 0;
        while (read < header.Length)
        {
            var n = await _transport.ReadAsync(header.AsMemory(read)).ConfigureAwait(false);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }

    private async Task SkipAsync(int length, byte[] scratch)
    {
        while (length > 0)
        {
            var n = Math.Min(length, scratch.Length);
            await _transport.ReadExactlyAsync(scratch.AsMemory(0, n)).ConfigureAwait(false);
            length -= n;
        }
    }
}
