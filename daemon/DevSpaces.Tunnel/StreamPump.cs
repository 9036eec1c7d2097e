namespace DevSpaces.Tunnel;

/// <summary>Copies bytes both ways between two streams until both directions end or one fails.</summary>
public static class StreamPump
{
    /// <param name="a">One side.</param>
    /// <param name="b">The other side.</param>
    /// <param name="cancellationToken">Ends both directions.</param>
    /// <param name="read">Called after every read, with true when the bytes came from <paramref name="b"/>.</param>
    public static async Task RunAsync(Stream a, Stream b, CancellationToken cancellationToken, Action<bool>? read = null)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var ab = CopyAsync(a, b, stop, read == null ? null : () => read(false));
        var ba = CopyAsync(b, a, stop, read == null ? null : () => read(true));
        await Task.WhenAll(ab, ba).ConfigureAwait(false);
    }

    private static async Task CopyAsync(Stream from, Stream to, CancellationTokenSource stop, Action? read)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var count = await from.ReadAsync(buffer, stop.Token).ConfigureAwait(false);
                if (count == 0)
                {
                    break;
                }

                read?.Invoke();
                await to.WriteAsync(buffer.AsMemory(0, count), stop.Token).ConfigureAwait(false);
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
