using System.Buffers;
using DevSpaces.Tunnel;

namespace DevSpaces.Agent;

/// <summary>
/// Carries a cluster client's connection both ways, following its HTTP/1.x requests and answers.
/// <list type="bullet">
/// <item>Once draining (this agent is leaving the Service), the next request that starts on the connection goes on with
/// <c>Connection: close</c>: the server answers it and closes, and the client, told so by the answer, sends its next
/// request on a new connection, which the Service's endpoints of that moment take.</item>
/// <item>When the server's side ends (a killed daemon's tunnel, a pod that goes) while the connection is idle (every
/// request answered in full) and the client keeps it open, the client is not cut: its next request is handed back to
/// the caller, to be carried on to another server. So are requests the client sent just before the end that have
/// not had a byte of answer, when each of them is idempotent.</item>
/// </list>
/// Closing a kept-alive connection any other way races with a request the client may be sending at that moment; this
/// way none is lost. A connection that carries no HTTP/1.x requests (or an upgraded one) is passed through as it is
/// and ends when either side ends it or the agent stops.
/// </summary>
public static class DrainingRelay
{
    /// <summary>The most request bytes kept for sending again: a request longer than this is not sent again.</summary>
    private const int MaxResend = 64 * 1024;

    /// <summary>
    /// Relays until the connection is over (null) or its server ended and the client's next request goes elsewhere:
    /// then returns the bytes that start it (empty when the client has yet to send them).
    /// </summary>
    /// <param name="first">Bytes the client sent before this server was chosen (handed back by an earlier relay).</param>
    public static async Task<byte[]?> RunAsync(Stream client, Stream server, ReadOnlyMemory<byte> first, CancellationToken draining, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
        var exchange = new Exchange(stop.Token, reading);
        var up = CopyRequestsAsync(client, server, first, exchange, draining, stop);
        var down = CopyAnswersAsync(server, client, exchange, stop);
        await Task.WhenAll(up, down).ConfigureAwait(false);
        return await up.ConfigureAwait(false);
    }

    /// <summary>What both directions know of the connection; read and changed under its lock.</summary>
    private sealed class Exchange
    {
        private readonly CancellationToken stopped;
        private readonly CancellationTokenSource reading;
        private readonly ArrayBufferWriter<byte> unanswered = new();
        private bool tooLong;

        public Exchange(CancellationToken stopped, CancellationTokenSource reading)
        {
            (this.stopped, this.reading) = (stopped, reading);
            Requests = new RequestFraming(Answers.Asked);
        }

        public Lock Gate { get; } = new();

        public ResponseFraming Answers { get; } = new();

        public RequestFraming Requests { get; }

        public CancellationToken Reading => reading.Token;

        public bool ClientEnded { get; set; }

        /// <summary>Set when the server ended and the client's requests go elsewhere: what to send there first.</summary>
        public byte[]? HandedBack { get; private set; }

        /// <summary>Follows bytes the client sent and writes what goes on to the server into <paramref name="output"/>.</summary>
        public void Feed(ReadOnlySpan<byte> input, bool draining, ArrayBufferWriter<byte> output)
        {
            // Whatever was sent before the last moment every request had its whole answer is never sent again.
            if (Requests.BetweenRequests && Answers.Idle)
            {
                unanswered.ResetWrittenCount();
                tooLong = false;
            }

            var before = output.WrittenCount;
            Requests.Feed(input, draining, output);
            var written = output.WrittenSpan[before..];
            tooLong |= unanswered.WrittenCount + written.Length > MaxResend;
            if (!tooLong)
            {
                unanswered.Write(written);
            }
        }

        /// <summary>
        /// The server's side ended: true when the client's connection stays open and its requests go elsewhere (see
        /// <see cref="HandedBack"/>); requests already sent are handed back when they may be sent again, and the wait for
        /// the client's next bytes ends at once then, as the client waits for their answers.
        /// </summary>
        public bool ServerEnds()
        {
            lock (Gate)
            {
                if (HandedBack != null)
                {
                    return true;
                }

                var open = !stopped.IsCancellationRequested && !ClientEnded && !Requests.Opaque && !Requests.Closing;
                if (open && Requests.BetweenRequests && Answers.Idle)
                {
                    HandedBack = [];
                }
                else if (open && Answers.Resendable && !tooLong)
                {
                    HandedBack = unanswered.WrittenSpan.ToArray();
                    reading.Cancel();
                }

                return HandedBack != null;
            }
        }
    }

    private static async Task<byte[]?> CopyRequestsAsync(Stream from, Stream to, ReadOnlyMemory<byte> first, Exchange exchange, CancellationToken draining, CancellationTokenSource stop)
    {
        var buffer = new byte[64 * 1024];
        var output = new ArrayBufferWriter<byte>(64 * 1024);
        while (true)
        {
            ReadOnlyMemory<byte> input;
            if (!first.IsEmpty)
            {
                (input, first) = (first, default);
            }
            else
            {
                int read;
                try
                {
                    read = await from.ReadAsync(buffer, exchange.Reading).ConfigureAwait(false);
                }
                catch (Exception e) when (StreamPump.IsBroken(e))
                {
                    // Either the wait ended because the requests go elsewhere, or the client (or the agent) is gone.
                    if (exchange.HandedBack is { } handedBack && !stop.IsCancellationRequested)
                    {
                        return handedBack;
                    }

                    await stop.CancelAsync().ConfigureAwait(false);
                    return null;
                }

                if (read == 0)
                {
                    break;
                }

                input = buffer.AsMemory(0, read);
            }

            output.ResetWrittenCount();
            lock (exchange.Gate)
            {
                if (exchange.HandedBack is { } handedBack)
                {
                    return [.. handedBack, .. input.Span];
                }

                exchange.Feed(input.Span, draining.IsCancellationRequested, output);
            }

            if (output.WrittenCount > 0 && !await SendAsync(to, output.WrittenMemory, stop).ConfigureAwait(false))
            {
                // The server went while this was sent to it: what it got may go elsewhere.
                if (exchange.ServerEnds())
                {
                    return exchange.HandedBack;
                }

                await stop.CancelAsync().ConfigureAwait(false);
                return null;
            }
        }

        output.ResetWrittenCount();
        lock (exchange.Gate)
        {
            exchange.ClientEnded = true;
            if (exchange.HandedBack != null)
            {
                return null;
            }

            exchange.Requests.Flush(output);
        }

        if (await SendAsync(to, output.WrittenMemory, stop).ConfigureAwait(false))
        {
            try
            {
                await StreamPump.HalfCloseAsync(to).ConfigureAwait(false);
            }
            catch (Exception e) when (StreamPump.IsBroken(e))
            {
                await stop.CancelAsync().ConfigureAwait(false);
            }
        }

        return null;
    }

    private static async Task CopyAnswersAsync(Stream from, Stream to, Exchange exchange, CancellationTokenSource stop)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            int read;
            try
            {
                read = await from.ReadAsync(buffer, stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (StreamPump.IsBroken(e))
            {
                read = 0;
            }

            if (read == 0)
            {
                // The server's side ended: the client's connection ends with it, unless its requests go elsewhere.
                if (!exchange.ServerEnds())
                {
                    try
                    {
                        await StreamPump.HalfCloseAsync(to).ConfigureAwait(false);
                    }
                    catch (Exception e) when (StreamPump.IsBroken(e))
                    {
                        await stop.CancelAsync().ConfigureAwait(false);
                    }
                }

                return;
            }

            lock (exchange.Gate)
            {
                exchange.Answers.Feed(buffer.AsSpan(0, read));
            }

            if (!await SendAsync(to, buffer.AsMemory(0, read), stop).ConfigureAwait(false))
            {
                await stop.CancelAsync().ConfigureAwait(false);
                return;
            }
        }
    }

    /// <summary>Writes and flushes; false when the stream broke (or the relay stopped).</summary>
    private static async Task<bool> SendAsync(Stream to, ReadOnlyMemory<byte> bytes, CancellationTokenSource stop)
    {
        if (bytes.IsEmpty)
        {
            return true;
        }

        try
        {
            await to.WriteAsync(bytes, stop.Token).ConfigureAwait(false);
            await to.FlushAsync(stop.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (StreamPump.IsBroken(e))
        {
            return false;
        }
    }
}
