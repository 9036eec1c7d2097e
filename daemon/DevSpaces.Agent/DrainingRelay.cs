using System.Buffers;
using DevSpaces.Tunnel;

namespace DevSpaces.Agent;

/// <summary>
/// Carries a cluster client's connection both ways, following its HTTP/1.x requests and answers.
/// <list type="bullet">
/// <item>Once draining (this agent is leaving the Service), the next request that starts on the connection goes on with
/// <c>Connection: close</c>: the server answers it and closes, and the client, told so by the answer, sends its next
/// request on a new connection, which the Service's endpoints of that moment take.</item>
/// <item>When the server's side ends while the connection is idle (every request answered in full, none started) and
/// the client keeps it open, the client is not cut: its next request is handed back to the caller, to be carried on to
/// another server (a new tunnel, the original pods).</item>
/// </list>
/// Closing a kept-alive connection any other way races with a request the client may be sending at that moment; this
/// way none is lost. A connection that carries no HTTP/1.x requests (or an upgraded one) is passed through as it is
/// and ends when either side ends it or the agent stops.
/// </summary>
public static class DrainingRelay
{
    /// <summary>
    /// Relays until the connection is over (null) or its server ended while it was idle and the client then sent more:
    /// the bytes it sent, which start its next request.
    /// </summary>
    /// <param name="first">Bytes the client sent before this server was chosen (a request handed back by an earlier relay).</param>
    public static async Task<byte[]?> RunAsync(Stream client, Stream server, ReadOnlyMemory<byte> first, CancellationToken draining, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var exchange = new Exchange();
        var up = CopyRequestsAsync(client, server, first, exchange, draining, stop);
        var down = CopyAnswersAsync(server, client, exchange, stop);
        await Task.WhenAll(up, down).ConfigureAwait(false);
        return await up.ConfigureAwait(false);
    }

    /// <summary>What both directions know of the connection; read and changed under its lock.</summary>
    private sealed class Exchange
    {
        public Exchange() => Requests = new RequestFraming(Answers.Asked);

        public Lock Gate { get; } = new();

        public ResponseFraming Answers { get; } = new();

        public RequestFraming Requests { get; }

        public bool ClientEnded { get; set; }

        public bool ServerEnded { get; set; }

        /// <summary>True (and remembered) when the server's end leaves the client's connection open for its next request.</summary>
        public bool ServerEndsIdle(CancellationToken stopped)
        {
            lock (Gate)
            {
                ServerEnded = !stopped.IsCancellationRequested && !ClientEnded && Requests.BetweenRequests && !Requests.Opaque && !Requests.Closing && Answers.Idle;
                return ServerEnded;
            }
        }
    }

    private static async Task<byte[]?> CopyRequestsAsync(Stream from, Stream to, ReadOnlyMemory<byte> first, Exchange exchange, CancellationToken draining, CancellationTokenSource stop)
    {
        var buffer = new byte[64 * 1024];
        var output = new ArrayBufferWriter<byte>(64 * 1024);
        try
        {
            while (true)
            {
                ReadOnlyMemory<byte> input;
                if (!first.IsEmpty)
                {
                    (input, first) = (first, default);
                }
                else
                {
                    var read = await from.ReadAsync(buffer, stop.Token).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    input = buffer.AsMemory(0, read);
                }

                output.ResetWrittenCount();
                lock (exchange.Gate)
                {
                    if (exchange.ServerEnded)
                    {
                        return input.ToArray();
                    }

                    exchange.Requests.Feed(input.Span, draining.IsCancellationRequested, output);
                }

                if (output.WrittenCount > 0)
                {
                    await to.WriteAsync(output.WrittenMemory, stop.Token).ConfigureAwait(false);
                    await to.FlushAsync(stop.Token).ConfigureAwait(false);
                }
            }

            output.ResetWrittenCount();
            lock (exchange.Gate)
            {
                exchange.ClientEnded = true;
                if (exchange.ServerEnded)
                {
                    return null;
                }

                exchange.Requests.Flush(output);
            }

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

        return null;
    }

    private static async Task CopyAnswersAsync(Stream from, Stream to, Exchange exchange, CancellationTokenSource stop)
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

                lock (exchange.Gate)
                {
                    exchange.Answers.Feed(buffer.AsSpan(0, read));
                }

                await to.WriteAsync(buffer.AsMemory(0, read), stop.Token).ConfigureAwait(false);
                await to.FlushAsync(stop.Token).ConfigureAwait(false);
            }

            if (!exchange.ServerEndsIdle(stop.Token))
            {
                await StreamPump.HalfCloseAsync(to).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (StreamPump.IsBroken(e))
        {
            if (!exchange.ServerEndsIdle(stop.Token))
            {
                await stop.CancelAsync().ConfigureAwait(false);
            }
        }
    }
}
