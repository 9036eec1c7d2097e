using System.Buffers;
using DevSpaces.Tunnel;

namespace DevSpaces.Agent;

/// <summary>
/// Carries a cluster client's connection both ways. Once draining (this agent is leaving the Service), the next HTTP
/// request that starts on the connection goes on with <c>Connection: close</c>: the server answers it and closes, and
/// the client, told so by the answer, sends its next request on a new connection, which the Service's endpoints of
/// that moment take. Closing a kept-alive connection any other way races with a request the client may be sending at
/// that moment; this way none is lost. A connection that carries no HTTP/1.x requests (or an upgraded one) is passed
/// through as it is and ends when either side ends it or the agent stops.
/// </summary>
public static class DrainingRelay
{
    public static async Task RunAsync(Stream client, Stream server, CancellationToken draining, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var requests = new RequestFraming();
        var up = CopyRequestsAsync(client, server, requests, draining, stop);
        var down = StreamPump.CopyAsync(server, client, stop);
        await Task.WhenAll(up, down).ConfigureAwait(false);
    }

    private static async Task CopyRequestsAsync(Stream from, Stream to, RequestFraming requests, CancellationToken draining, CancellationTokenSource stop)
    {
        var buffer = new byte[64 * 1024];
        var output = new ArrayBufferWriter<byte>(64 * 1024);
        try
        {
            while (true)
            {
                var read = await from.ReadAsync(buffer, stop.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                output.ResetWrittenCount();
                requests.Feed(buffer.AsSpan(0, read), draining.IsCancellationRequested, output);
                if (output.WrittenCount > 0)
                {
                    await to.WriteAsync(output.WrittenMemory, stop.Token).ConfigureAwait(false);
                    await to.FlushAsync(stop.Token).ConfigureAwait(false);
                }
            }

            output.ResetWrittenCount();
            requests.Flush(output);
            if (output.WrittenCount > 0)
            {
                await to.WriteAsync(output.WrittenMemory, stop.Token).ConfigureAwait(false);
            }

            await StreamPump.HalfCloseAsync(to).ConfigureAwait(false);
        }
        catch (Exception e) when (StreamPump.IsBroken(e))
        {
            await stop.CancelAsync().ConfigureAwait(false);
        }
    }
}
