using System.Net;
using System.Net.Sockets;

namespace DevSpaces.Agent;

/// <summary>
/// Tells whether new connections to the Service reach this agent: kube-proxy applies a change of the Service's
/// endpoints a moment after the API server has them, and nothing a namespace's user may read says when. The agent
/// connects to the Service's cluster address itself and closes the connection at once, sending nothing (whoever
/// accepts it sees what a TCP health check does); its own listeners, while a probe runs, look at what each new
/// connection sends first, and one that ends without a byte is taken for the probe's. A pod reaching itself through
/// its own Service is "hairpin" traffic, which kube-proxy masquerades with random source ports, so neither the
/// address nor the port can tell the probe's connection from another.
/// </summary>
public sealed class RouteProbe(Action<string> log)
{
    /// <summary>How long a probe connection may take to arrive at the listener after it connected.</summary>
    private static readonly TimeSpan ArrivalGrace = TimeSpan.FromMilliseconds(300);

    /// <summary>How long a listener waits, while a probe runs, for a new connection's first byte or its end.</summary>
    private static readonly TimeSpan ScreenTime = TimeSpan.FromMilliseconds(300);

    /// <summary>Between two probes.</summary>
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private readonly Lock gate = new();
    private int running;
    private TaskCompletionSource? arrival;

    /// <summary>Whether a probe runs (only then are new connections screened).</summary>
    public bool Running => Volatile.Read(ref running) > 0;

    /// <summary>
    /// Screens a new connection while a probe runs: null when it ended without sending anything (the probe's, or any
    /// other that has nothing to carry), else the bytes it sent first (none when it sent nothing yet, as with a protocol
    /// whose server speaks first), which the caller carries on ahead of the rest.
    /// </summary>
    public async Task<ReadOnlyMemory<byte>?> ScreenAsync(Socket client, CancellationToken cancellationToken)
    {
        if (!Running)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        var buffer = new byte[4096];
        using var screen = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        screen.CancelAfter(ScreenTime);
        int read;
        try
        {
            read = await client.ReceiveAsync(buffer, SocketFlags.None, screen.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ReadOnlyMemory<byte>.Empty;
        }
        catch (SocketException)
        {
            read = 0;
        }

        if (read > 0)
        {
            return buffer.AsMemory(0, read);
        }

        lock (gate)
        {
            arrival?.TrySetResult();
        }

        return null;
    }

    /// <summary>
    /// Probes <paramref name="address"/>:<paramref name="port"/> until new connections reach this agent
    /// (<paramref name="toAgent"/>) or stop reaching it; false when that was not seen within <paramref name="timeout"/>.
    /// </summary>
    public async Task<bool> WaitAsync(IPAddress address, int port, bool toAgent, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        Interlocked.Increment(ref running);
        var probes = 0;
        try
        {
            while (true)
            {
                probes++;
                if (await ProbeAsync(address, port, limit.Token).ConfigureAwait(false) is { } arrived && arrived == toAgent)
                {
                    log($"connections to {address}:{port} {(toAgent ? "reach" : "no longer reach")} this agent (probe {probes})");
                    return true;
                }

                await Task.Delay(Interval, limit.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            log($"connections to {address}:{port} did not {(toAgent ? "reach" : "stop reaching")} this agent within {timeout.TotalSeconds:0.#} s ({probes} probes)");
            return false;
        }
        finally
        {
            Interlocked.Decrement(ref running);
        }
    }

    /// <summary>One connection: true when it arrived at this agent, false when something else accepted it, null when none did.</summary>
    private async Task<bool?> ProbeAsync(IPAddress address, int port, CancellationToken cancellationToken)
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate)
        {
            arrival = arrived;
        }

        using (var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp))
        {
            using var connecting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            connecting.CancelAfter(TimeSpan.FromSeconds(1));
            try
            {
                await socket.ConnectAsync(address, port, connecting.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                return null;
            }
        }

        try
        {
            await arrived.Task.WaitAsync(ArrivalGrace, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
