namespace DevSpaces.Tunnel;

/// <summary>Copies bytes both ways between two streams until both directions end or one fails.</summary>
public static class StreamPump
{
    public static async Task RunAsync(Stream a, Stream b, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var ab = CopyAsync(a, b, stop);
        var ba = CopyAsync(b, a, stop);
        await Task.WhenAll(ab, ba).ConfigureAwait(false);
    }

    /// <summary>Copies one direction until <paramref name="from"/> ends (then half-closes <paramref name="to"/>) or either breaks (then cancels <paramref name="stop"/>).</summary>
    public static async Task CopyAsync(Stream from, Stream to, CancellationTokenSource stop)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReadAsync(buffer, stop.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                await to.WriteAsync(buffer.AsMemory(0, read), stop.Token).ConfigureAwait(false);
                await to.FlushAsync(stop.Token).ConfigureAwait(false);
            }

            await HalfCloseAsync(to).ConfigureAwait(false);
        }
        catch (Exception e) when (IsBroken(e))
        {
            // One side broke: end the other direction too.
            await stop.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Half-close where the stream supports it (sockets, channels), so request/response protocols see EOF.</summary>
    public static async Task HalfCloseAsync(Stream to)
    {
        if (to is System.Net.Sockets.NetworkStream network)
        {
            network.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        }
        else
        {
            await to.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>True for the ways a stream ends when its other side went away or the copy was cancelled.</summary>
    public static bool IsBroken(Exception e) =>
        e is IOException or OperationCanceledException or ObjectDisposedException or System.Net.Sockets.SocketException or InvalidOperationException;
}
