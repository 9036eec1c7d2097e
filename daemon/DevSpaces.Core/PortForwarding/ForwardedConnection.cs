using System.Buffers;
using System.Net.Sockets;

namespace DevSpaces.Core.PortForwarding;

/// <summary>Copies bytes both ways between one accepted local socket and its pod connection.</summary>
public static class ForwardedConnection
{
    // Large chunks keep per-message overhead (framing, masking, kubelet copies) low on bulk transfers.
    private const int ChunkSize = 128 * 1024;

    /// <summary>
    /// Pumps until the pod side closes (then the local client gets EOF after all bytes) or the local client
    /// resets. Local EOF (half-close) keeps the pod-to-local direction open until the pod closes.
    /// </summary>
    public static async Task<(long ToPod, long FromPod)> PumpAsync(Socket local, PodPortChannel pod, CancellationToken cancellationToken)
    {
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var toPod = CopyToPodAsync(local, pod, abort.Token);
        var fromPod = CopyFromPodAsync(pod, local, abort.Token);

        var first = await Task.WhenAny(toPod, fromPod).ConfigureAwait(false);
        if (first == toPod && toPod.Result.Clean)
        {
            // Local half-close: the pod may still answer.
            await fromPod.ConfigureAwait(false);
        }

        TryShutdownSend(local);
        await abort.CancelAsync().ConfigureAwait(false);
        var (sent, _) = await toPod.ConfigureAwait(false);
        var (received, _) = await fromPod.ConfigureAwait(false);
        return (sent, received);
    }

    private static async Task<(long Bytes, bool Clean)> CopyToPodAsync(Socket local, PodPortChannel pod, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize + 1);
        long total = 0;
        try
        {
            while (true)
            {
                var read = await local.ReceiveAsync(buffer.AsMemory(1, ChunkSize), SocketFlags.None, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
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

    private static async Task<(long Bytes, bool Clean)> CopyFromPodAsync(PodPortChannel pod, Socket local, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        long total = 0;
        try
        {
            while (true)
            {
                var chunk = await pod.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (chunk.IsEmpty)
                {
                    return (total, true);
                }

                while (!chunk.IsEmpty)
                {
                    var sent = await local.SendAsync(chunk, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                    chunk = chunk[sent..];
                    total += sent;
                }
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
}
