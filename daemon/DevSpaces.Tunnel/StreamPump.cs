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

    private static async Task CopyAsync(Stream from, Stream to, CancellationTokenSource stop)
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

            // Half-close where the stream supports it (sockets, channels), so request/response protocols see EOF.
            if (to is System.Net.Sockets.NetworkStream network)
            {
                network.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
            }
            else
            {
                await to.DisposeAsync().ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            // One side broke: end the other direction too.
            await stop.CancelAsync().ConfigureAwait(false);
        }
    }
}
