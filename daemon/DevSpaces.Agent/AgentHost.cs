using System.Net;
using System.Net.Sockets;
using DevSpaces.Tunnel;
using DevSpaces.Tunnel.Takeover;
using k8s;

namespace DevSpaces.Agent;

/// <summary>
/// The agent: accepts the daemon's tunnel (one session at a time; a newer authenticated tunnel replaces the old one,
/// which is how the daemon reconnects), accepts cluster clients on the service's ports, answers probes, and
/// restores the workload itself when the daemon's heartbeat stops.
/// </summary>
public sealed class AgentHost(AgentOptions options, Action<string> log)
{
    /// <summary>How long a cluster client's connection waits while there is no tunnel, before it gets a 503 text.</summary>
    private static readonly TimeSpan HoldTimeout = TimeSpan.FromSeconds(20);

    /// <summary>The most servers one client connection is carried to, one after the other (see <see cref="CarryAsync"/>).</summary>
    private const int MaxServersPerConnection = 16;

    /// <summary>How long a leaving agent waits for its carried connections to end (below the pod's grace period).</summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);

    private readonly Lock gate = new();
    private readonly HeartbeatWatchdog watchdog = new(options.HeartbeatTimeout, options.FirstContactTimeout, TimeProvider.System);
    private readonly Lazy<Kubernetes> cluster = new(() => new Kubernetes(KubernetesClientConfiguration.InClusterConfig()));
    private readonly SemaphoreSlim standby = new(1, 1);
    private readonly RouteProbe routeProbe = new(log);
    private readonly CancellationTokenSource draining = new();
    private readonly TaskCompletionSource drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int carried;
    private AgentSession? current;
    private bool attachedOnce;
    private bool restoring;
    private bool standingBy;
    private IReadOnlyList<string> originals = [];
    private TaskCompletionSource routeChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Runs until the heartbeat stops (then restores, keeps serving until cancelled and returns true) or until cancelled (returns false).</summary>
    public async Task<bool> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await ServeAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (cluster.IsValueCreated)
            {
                cluster.Value.Dispose();
            }

            draining.Dispose();
        }
    }

    private async Task<bool> ServeAsync(CancellationToken cancellationToken)
    {
        await using var work = new OwnedTasks(log);
        work.Start("probe endpoint", ct => new HealthEndpoint(TakeoverNames.HealthPort, log).RunAsync(ct));
        work.Start("cluster client", PrepareClusterClientAsync);
        work.Start("tunnel listener", ct => AcceptTunnelsAsync(work, ct));
        foreach (var port in options.Ports)
        {
            work.Start($"listener on port {port}", ct => AcceptClientsAsync(port, work, ct));
        }

        log($"agent for {options.Kind} {options.Namespace}/{options.Workload} listening on ports {string.Join(", ", options.Ports)}; tunnel on {TakeoverNames.TunnelPort}");
        try
        {
            await watchdog.WaitForSilenceAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await DrainAsync().ConfigureAwait(false);
            await CloseSessionAsync().ConfigureAwait(false);
            return false;
        }

        log($"no heartbeat from the daemon for {options.HeartbeatTimeout.TotalSeconds:0} s: restoring the workload");
        lock (gate)
        {
            restoring = true;
        }

        await CloseSessionAsync().ConfigureAwait(false);

        // Make before break: the original replicas start and become ready before this agent goes. Connections that
        // arrive meanwhile wait, and go on to the original pods once the Service's endpoints are theirs.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var restorer = new WorkloadRestorer(cluster.Value, options.Kind, trafficMoved: RouteToOriginals,
            routeLeftAgent: (address, port, wait, ct) => routeProbe.WaitAsync(IPAddress.Parse(address), port, toAgent: false, wait, ct));
        foreach (var step in await restorer.RestoreAsync(options.Namespace, options.Workload, options.Session, options.IsolatedService, timeout.Token).ConfigureAwait(false))
        {
            log(step);
        }

        // Keep carrying connections to the original pods until this pod is deleted (the restore deleted its Deployment).
        log("workload restored; serving until this pod is deleted");
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        await DrainAsync().ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Reads the workload once at start: the in-cluster client's first call (TLS, the JIT of the client) took 2.7 s on a
    /// busy node, and the first call that matters (scaling the original up when the tunnel is lost) should not pay it.
    /// </summary>
    private async Task PrepareClusterClientAsync(CancellationToken cancellationToken)
    {
        try
        {
            await new WorkloadRestorer(cluster.Value, options.Kind).PrepareAsync(options.Namespace, options.Workload, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log($"could not read {options.Kind} {options.Workload} yet: {e.Message}");
        }
    }

    /// <summary>
    /// This agent is leaving the Service: each carried connection ends after the answer to its next request (see
    /// <see cref="DrainingRelay"/>) or when its client closes it, within <see cref="DrainTimeout"/> (the pod's termination
    /// grace period is longer); what is still open after that is cut.
    /// </summary>
    private async Task DrainAsync()
    {
        await draining.CancelAsync().ConfigureAwait(false);
        if (Volatile.Read(ref carried) == 0)
        {
            drained.TrySetResult();
        }

        log($"draining {Volatile.Read(ref carried)} carried connections");
        try
        {
            await drained.Task.WaitAsync(DrainTimeout).ConfigureAwait(false);
            log("every carried connection has ended");
        }
        catch (TimeoutException)
        {
            log($"{Volatile.Read(ref carried)} connections still open after {DrainTimeout.TotalSeconds:0} s are cut");
        }
    }

    private void RouteToOriginals(IReadOnlyList<string> addresses)
    {
        log($"the service's endpoints are the original pods again ({string.Join(", ", addresses)}); waiting connections go there");
        lock (gate)
        {
            originals = addresses;
        }

        SignalRouteChanged();
    }

    private void SignalRouteChanged()
    {
        TaskCompletionSource changed;
        lock (gate)
        {
            changed = routeChanged;
            routeChanged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    /// <summary>
    /// Where a new cluster connection goes: the daemon's tunnel (unless it is <paramref name="refused"/>, a tunnel that
    /// just failed to take it), else the original pods (during a restore); waits while neither is there, until
    /// <paramref name="hold"/> ends.
    /// </summary>
    private async Task<(AgentSession? Session, IReadOnlyList<string> Originals)> RouteAsync(AgentSession? refused, CancellationToken hold, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (gate)
            {
                var session = current == refused ? null : current;
                if (session != null || originals.Count > 0)
                {
                    return (session, originals);
                }

                changed = routeChanged.Task;
            }

            try
            {
                await changed.WaitAsync(hold).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return (null, []);
            }
        }
    }

    /// <summary>
    /// While the tunnel is lost, a scaled-down original is brought back up so that a restore after the heartbeat timeout
    /// finds it ready; when the tunnel returns first, it goes back to 0 (see <see cref="WorkloadRestorer.StandByAsync"/>).
    /// </summary>
    private async Task StandByAsync(CancellationToken cancellationToken)
    {
        await standby.WaitAsync(cancellationToken).ConfigureAwait(false);
        var running = false;
        try
        {
            lock (gate)
            {
                running = current == null;

                // Only what this agent brought up goes back down: at the first tunnel the original still serves, and
                // the daemon scales it down once the Service's endpoints have moved.
                if (restoring || !attachedOnce || (!running && !standingBy))
                {
                    return;
                }
            }

            if (await new WorkloadRestorer(cluster.Value, options.Kind).StandByAsync(options.Namespace, options.Workload, options.Session, running, cancellationToken).ConfigureAwait(false) is { } step)
            {
                log(step);
                standingBy = running;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log($"could not change the original's replicas while the tunnel {(running ? "is lost" : "is back")}: {e.Message}");
        }
        finally
        {
            standby.Release();
        }
    }

    private async Task AcceptTunnelsAsync(OwnedTasks work, CancellationToken cancellationToken)
    {
        var listener = new TcpListener(IPAddress.Any, TakeoverNames.TunnelPort);
        listener.Start();
        try
        {
            while (true)
            {
                var client = await listener.AcceptTcpClientAsync(cancellationToken).ConfigureAwait(false);
                client.NoDelay = true;
                work.Start("tunnel", ct => ServeTunnelAsync(client, work, ct));
            }
        }
        finally
        {
            listener.Stop();
        }
    }

    private async Task ServeTunnelAsync(TcpClient client, OwnedTasks work, CancellationToken cancellationToken)
    {
        using (client)
        await using (var stream = new QuickAckStream(client.Client))
        {
            using (var handshake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                handshake.CancelAfter(TimeSpan.FromSeconds(10));
                if (!await TunnelHandshake.AcceptAsync(stream, options.SessionKey, handshake.Token).ConfigureAwait(false))
                {
                    log($"rejected a tunnel from {client.Client.RemoteEndPoint}: wrong session key");
                    return;
                }
            }

            var session = await AgentSession.OpenAsync(stream, watchdog, routeProbe, log, cancellationToken).ConfigureAwait(false);
            AgentSession? previous;
            lock (gate)
            {
                previous = current;
                current = session;
                attachedOnce = true;
            }

            SignalRouteChanged();
            work.Start("original on standby", StandByAsync);

            if (previous != null)
            {
                log("a new tunnel replaces the previous one");
                await previous.DisposeAsync().ConfigureAwait(false);
            }

            log("tunnel attached");
            try
            {
                await session.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                var lost = false;
                lock (gate)
                {
                    if (current == session)
                    {
                        current = null;
                        lost = true;
                    }
                }

                await session.DisposeAsync().ConfigureAwait(false);
                log("tunnel closed");
                if (lost && !cancellationToken.IsCancellationRequested)
                {
                    work.Start("original on standby", StandByAsync);
                }
            }
        }
    }

    private async Task AcceptClientsAsync(int port, OwnedTasks work, CancellationToken cancellationToken)
    {
        var listener = new TcpListener(IPAddress.Any, port);
        listener.Start();
        try
        {
            while (true)
            {
                var client = await listener.AcceptTcpClientAsync(cancellationToken).ConfigureAwait(false);
                client.NoDelay = true;
                work.Start($"connection on port {port}", async ct =>
                {
                    using (client)
                    {
                        Interlocked.Increment(ref carried);
                        try
                        {
                            // While the route probe runs, a connection that ends without a byte is its own (nothing to carry).
                            if (await routeProbe.ScreenAsync(client.Client, ct).ConfigureAwait(false) is { } first)
                            {
                                await CarryAsync(client, port, first, ct).ConfigureAwait(false);
                            }
                        }
                        finally
                        {
                            if (Interlocked.Decrement(ref carried) == 0 && draining.IsCancellationRequested)
                            {
                                drained.TrySetResult();
                            }
                        }
                    }
                });
            }
        }
        finally
        {
            listener.Stop();
        }
    }

    /// <summary>
    /// A cluster client's connection to a service port: to the daemon, to an original pod during a restore, else a 503
    /// text. A tunnel that ends before the daemon took the connection (nothing was carried yet) is not the end of it: the
    /// connection waits for the next tunnel or the original pods like a new one. Neither is a server that ends the
    /// connection between two requests (a killed daemon's tunnel, a pod that goes): the client's next request is
    /// carried on the same way, so a client that sends it at that very moment loses nothing. <paramref name="first"/>
    /// holds what the client sent already (read while the route probe screened the connection).
    /// </summary>
    private async Task CarryAsync(TcpClient client, int port, ReadOnlyMemory<byte> first, CancellationToken cancellationToken)
    {
        for (var servers = 1; ; servers++)
        {
            using var hold = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            hold.CancelAfter(HoldTimeout);
            var carried = Carried.NotTaken;
            AgentSession? refused = null;
            var (session, originalPods) = await RouteAsync(refused, hold.Token, cancellationToken).ConfigureAwait(false);
            while (session != null && !(carried = await session.CarryInboundAsync(client, port, first, draining.Token, cancellationToken).ConfigureAwait(false)).Taken)
            {
                refused = session;
                (session, originalPods) = await RouteAsync(refused, hold.Token, cancellationToken).ConfigureAwait(false);
            }

            if (session == null && originalPods.Count > 0)
            {
                carried = await CarryToOriginalAsync(client, originalPods[Random.Shared.Next(originalPods.Count)], port, first, cancellationToken).ConfigureAwait(false);
            }
            else if (session == null)
            {
                await AgentResponses.WriteAsync(client.GetStream(), AgentResponses.NotConnected, cancellationToken).ConfigureAwait(false);
            }

            if (carried.Next is null)
            {
                return;
            }

            // A server that takes the connection and ends it at once, again and again, is not followed for ever.
            if (servers == MaxServersPerConnection)
            {
                log($"a connection to port {port} met {servers} servers that ended it; it ends too");
                return;
            }

            first = carried.Next;
        }
    }

    /// <summary>Carries a cluster client's connection to an original pod on the same port (the agent declares the original's ports).</summary>
    private async Task<Carried> CarryToOriginalAsync(TcpClient client, string address, int port, ReadOnlyMemory<byte> first, CancellationToken cancellationToken)
    {
        using var original = new TcpClient { NoDelay = true };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            await original.ConnectAsync(address, port, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            log($"could not reach the original pod {address}:{port}: {e.Message}");
            await AgentResponses.WriteAsync(client.GetStream(), AgentResponses.NotConnected, cancellationToken).ConfigureAwait(false);
            return Carried.NotTaken;
        }

        return Carried.Over(await DrainingRelay.RunAsync(client.GetStream(), original.GetStream(), first, draining.Token, cancellationToken).ConfigureAwait(false));
    }

    private async Task CloseSessionAsync()
    {
        AgentSession? session;
        lock (gate)
        {
            session = current;
            current = null;
        }

        if (session != null)
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }
    }
}
