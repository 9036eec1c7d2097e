using System.Buffers;
using System.IO.Pipelines;
using System.Text;

namespace DevSpaces.Core.PortForwarding.Spdy;

/// <summary>One forwarded TCP connection on a <see cref="SpdySession"/>: its data stream and its error stream.</summary>
public sealed class SpdyPodChannel : IPodChannel
{
    private readonly SpdySession _session;
    private readonly Pipe _received = new(new PipeOptions(
        pauseWriterThreshold: 1024 * 1024, resumeWriterThreshold: 512 * 1024, useSynchronizationContext: false));
    private readonly StringBuilder _error = new();
    private readonly Lock _lock = new();
    private long _bytesReceived;
    private bool _remoteEnded;
    private bool _reset;
    private int _finSent;
    private int _disposed;

    internal SpdyPodChannel(SpdySession session, uint dataStreamId, uint errorStreamId)
    {
        _session = session;
        DataStreamId = dataStreamId;
        ErrorStreamId = errorStreamId;
    }

    internal uint DataStreamId { get; }

    internal uint ErrorStreamId { get; }

    public int Headroom => SpdyFrames.HeaderLength;

    public string? Error
    {
        get
        {
            lock (_lock)
            {
                return _error.Length == 0 ? null : _error.ToString().Trim();
            }
        }
    }

    public bool HasEnded
    {
        get
        {
            lock (_lock)
            {
                return _reset || (_remoteEnded && _bytesReceived == 0);
            }
        }
    }

    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var result = await _received.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var data = result.Buffer;
        if (data.IsEmpty)
        {
            _received.Reader.AdvanceTo(data.End);
            return 0;
        }

        var n = (int)Math.Min(data.Length, buffer.Length);
        var taken = data.Slice(0, n);
        taken.CopyTo(buffer.Span);
        _received.Reader.AdvanceTo(taken.End);
        return n;
    }

    public ValueTask WriteAsync(Memory<byte> frame, int count, CancellationToken cancellationToken)
    {
        SpdyFrames.WriteDataHeader(frame.Span, DataStreamId, count, 0);
        return _session.SendAsync(frame[..(SpdyFrames.HeaderLength + count)], cancellationToken);
    }

    public async ValueTask CompleteWritesAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _finSent, 1) == 1)
        {
            return;
        }

        var finish = new byte[SpdyFrames.HeaderLength];
        SpdyFrames.WriteDataHeader(finish, DataStreamId, 0, SpdyFrames.FlagFin);
        await _session.SendAsync(finish, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Nothing to start: the session's reader already watches every stream.</summary>
    public void StartEarlyRead()
    {
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        bool open;
        lock (_lock)
        {
            open = !_remoteEnded || Volatile.Read(ref _finSent) == 0;
        }

        _session.Forget(this);
        await _received.Reader.CompleteAsync().ConfigureAwait(false);
        if (open && _session.IsOpen)
        {
            // Either side still open: tell the kubelet to drop the pod connection.
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _session.SendAsync(SpdyFrames.RstStreamFrame(DataStreamId, SpdyFrames.StatusCancel), timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
            {
                // The session is going away; so is the stream.
            }
        }
    }

    /// <summary>Takes one data frame's payload off the session's transport (the session's reader calls this).</summary>
    internal async Task ReceiveAsync(SpdyFrames.Header frame, Stream transport, byte[] scratch)
    {
        var remaining = frame.Length;
        if (frame.StreamId == ErrorStreamId)
        {
            while (remaining > 0)
            {
                var n = Math.Min(remaining, scratch.Length);
                await transport.ReadExactlyAsync(scratch.AsMemory(0, n)).ConfigureAwait(false);
                lock (_lock)
                {
                    _error.Append(Encoding.UTF8.GetString(scratch, 0, n));
                }

                remaining -= n;
            }

            return;
        }

        var writer = _received.Writer;
        bool discard;
        lock (_lock)
        {
            discard = _remoteEnded || Volatile.Read(ref _disposed) == 1;
        }

        while (remaining > 0)
        {
            var memory = discard ? scratch.AsMemory() : writer.GetMemory(Math.Min(remaining, 64 * 1024));
            var n = Math.Min(remaining, memory.Length);
            await transport.ReadExactlyAsync(memory[..n]).ConfigureAwait(false);
            remaining -= n;
            if (!discard)
            {
                writer.Advance(n);
            }
        }

        lock (_lock)
        {
            _bytesReceived += frame.Length;
        }

        if (!discard && frame.Length > 0)
        {
            var flush = await writer.FlushAsync().ConfigureAwait(false);
            discard = flush.IsCompleted;
        }

        if (frame.Fin)
        {
            lock (_lock)
            {
                _remoteEnded = true;
            }

            await writer.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The server reset a stream of this connection, or the session ended (status -1).</summary>
    internal void Reset(uint streamId, int status)
    {
        if (streamId != DataStreamId)
        {
            return;
        }

        lock (_lock)
        {
            _reset = true;
            _remoteEnded = true;
            if (status > 0 && _error.Length == 0)
            {
                _error.Append($"the kubelet reset the connection (SPDY status {status})");
            }
        }

        _received.Writer.Complete();
    }
}
