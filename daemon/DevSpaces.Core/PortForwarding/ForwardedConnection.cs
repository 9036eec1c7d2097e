using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;

namespace DevSpaces.Core.PortForwarding;

/// <summary>Copies bytes both ways between one accepted local socket and its pod connection.</summary>
public static class ForwardedConnection
{
    // Large chunks keep per-message overhead (framing, masking, kubelet copies) low on bulk transfers.
    private const int ChunkSize = 128 * 1024;
    private const int CoalesceSegmentSize = 256 * 1024;
    private const int MessageSizeHint = 32 * 1024;

    /// <summary>
    /// Pumps until the pod side closes (then the local client gets EOF after all bytes) or the local client
    /// resets. After local EOF the pod may still answer, but the WebSocket protocol cannot tell it that we
    /// stopped sending, and a fully closed client looks the same as a half-closed one; so the connection ends
    /// once the pod has been silent for <paramref name="halfClosedIdle"/>, rather than holding the pod's
    /// connection open forever.
    /// </summary>
    public static async Task<(long ToPod, long FromPod)> PumpAsync(Socket local, IPodChannel pod, TimeSpan halfClosedIdle, CancellationToken cancellationToken)
    {
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(abort.Token);
        var halfClosed = new HalfCloseTimer(idle, halfClosedIdle);
        var toPod = CopyToPodAsync(local, pod, abort.Token);
        var fromPod = CopyFromPodAsync(pod, local, halfClosed, idle.Token);

        var first = await Task.WhenAny(toPod, fromPod).ConfigureAwait(false);
        if (first == toPod && toPod.Result.Clean)
        {
            halfClosed.Arm();
            await fromPod.ConfigureAwait(false);
        }

        TryShutdownSend(local);
        await abort.CancelAsync().ConfigureAwait(false);
        var (sent, _) = await toPod.ConfigureAwait(false);
        var (received, _) = await fromPod.ConfigureAwait(false);
        return (sent, received);
    }

    private static async Task<(long Bytes, bool Clean)> CopyToPodAsync(Socket local, IPodChannel pod, CancellationToken cancellationToken)
    {
        var headroom = pod.Headroom;
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize + headroom);
        long total = 0;
        try
        {
            while (true)
            {
                var read = await local.ReceiveAsync(buffer.AsMemory(headroom, ChunkSize), SocketFlags.None, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    await pod.CompleteWritesAsync(cancellationToken).ConfigureAwait(false);
                    return (total, true);
                }

                await pod.WriteAsync(buffer, read, cancellationToken).ConfigureAwait(false);
                total += read;
            }
        }
        catch (Exception e) when (IsConnectionEnd(e))
        {
            return (total, false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Pod data arrives as many small WebSocket messages (the kubelet relays a few KiB at a time). A pipe between
    /// receiving and sending lets whatever arrived while the last send ran go out in one socket write, which
    /// saves most of the per-message system calls on bulk transfers.
    /// </summary>
    private static async Task<(long Bytes, bool Clean)> CopyFromPodAsync(IPodChannel pod, Socket local, HalfCloseTimer halfClosed, CancellationToken cancellationToken)
    {
        var pipe = new Pipe(new PipeOptions(
            minimumSegmentSize: CoalesceSegmentSize,
            pauseWriterThreshold: 4 * CoalesceSegmentSize,
            resumeWriterThreshold: 2 * CoalesceSegmentSize,
            useSynchronizationContext: false));
        var receive = ReceiveFromPodAsync(pod, pipe.Writer, halfClosed, cancellationToken);
        var send = SendToLocalAsync(pipe.Reader, local, cancellationToken);
        var clean = await receive.ConfigureAwait(false);
        var (sent, sendClean) = await send.ConfigureAwait(false);
        return (sent, clean && sendClean);
    }

    private static async Task<bool> ReceiveFromPodAsync(IPodChannel pod, PipeWriter writer, HalfCloseTimer halfClosed, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var memory = writer.GetMemory(MessageSizeHint);
                var read = await pod.ReadAsync(memory, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    await writer.CompleteAsync().ConfigureAwait(false);
                    return true;
                }

                writer.Advance(read);
                halfClosed.Touch();
                var flush = await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
                if (flush.IsCompleted)
                {
                    // The sending side stopped (local client gone).
                    await writer.CompleteAsync().ConfigureAwait(false);
                    return false;
                }
            }
        }
        catch (Exception e) when (IsConnectionEnd(e))
        {
            await writer.CompleteAsync().ConfigureAwait(false);
            return false;
        }
    }

    private static async Task<(long Bytes, bool Clean)> SendToLocalAsync(PipeReader reader, Socket local, CancellationToken cancellationToken)
    {
        long total = 0;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var buffer = result.Buffer;
                foreach (var segment in buffer)
                {
                    for (var chunk = segment; !chunk.IsEmpty;)
                    {
                        var sent = await local.SendAsync(chunk, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                        chunk = chunk[sent..];
                        total += sent;
                    }
                }

                reader.AdvanceTo(buffer.End);
                if (result.IsCompleted)
                {
                    await reader.CompleteAsync().ConfigureAwait(false);
                    return (total, true);
                }
            }
        }
        catch (Exception e) when (IsConnectionEnd(e))
        {
            await reader.CompleteAsync().ConfigureAwait(false);
            return (total, false);
        }
    }

    private static bool IsConnectionEnd(Exception e) =>
        e is OperationCanceledException or SocketException or IOException or ObjectDisposedException
            or System.Net.WebSockets.WebSocketException;

    private static void TryShutdownSend(Socket socket)
    {
        try
        {
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed by the client.
        }
    }

    /// <summary>Once armed (local EOF), cancels the pod side after a quiet period; every chunk from the pod restarts it.</summary>
    private sealed class HalfCloseTimer(CancellationTokenSource idle, TimeSpan quiet)
    {
        private volatile bool _armed;

        public void Arm()
        {
            _armed = true;
            Restart();
        }

        public void Touch()
        {
            if (_armed)
            {
                Restart();
            }
        }

        private void Restart()
        {
            try
            {
                idle.CancelAfter(quiet);
            }
            catch (ObjectDisposedException)
            {
                // The connection is already over.
            }
        }
    }
}
