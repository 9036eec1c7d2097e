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
    private readonly Lock gate = new();
    private readonly HeartbeatWatchdog watchdog = new(options.HeartbeatTimeout, options.FirstContactTimeout, TimeProvider.System);
    private AgentSession? current;

    /// <summary>Runs until the heartbeat stops (then restores and returns true) or until cancelled (returns false).</summary>
    public async Task<bool> RunAsync(CancellationToken cancellationToken)
    {
        await using var work = new OwnedTasks(log);
        work.Start("probe endpoint", ct => new HealthEndpoint(TakeoverNames.HealthPort, log).RunAsync(ct));
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
            await CloseSessionAsync().ConfigureAwait(false);
            return false;
        }

        log($"no heartbeat from the daemon for {options.HeartbeatTimeout.TotalSeconds:0} s: restoring the workload");
        await CloseSessionAsync().ConfigureAwait(false);
        using var client = new Kubernetes(KubernetesClientConfiguration.InClusterConfig());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        foreach (var step in await new WorkloadRestorer(client, options.Kind).RestoreAsync(options.Namespace, options.Workload, options.Session, options.IsolatedService, timeout.Token).ConfigureAwait(false))
        {
            log(step);
        }

        return true;
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
                work.Start("tunnel", ct => ServeTunnelAsync(client, ct));
            }
        }
        finally
        {
            listener.Stop();
        }
    }

    private async Task ServeTunnelAsync(TcpClient client, CancellationToken cancellationToken)
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

            var session = await AgentSession.OpenAsync(stream, watchdog, log, cancellationToken).ConfigureAwait(false);
            AgentSession? previous;
            lock (gate)
            {
                previous = current;
                current = session;
            }

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
                lock (gate)
                {
                    if (current == session)
                    {
                        current = null;
                    }
                }

                await session.DisposeAsync().ConfigureAwait(false);
                log("tunnel closed");
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
                        AgentSession? session;
                        lock (gate)
                        {
                            session = current;
                        }

                        if (session == null)
                        {
                            await AgentResponses.WriteAsync(client.GetStream(), AgentResponses.NotConnected, ct).ConfigureAwait(false);
                            return;
                        }

                        await session.CarryInboundAsync(client, port, ct).ConfigureAwait(false);
                    }
                });
            }
        }
        finally
        {
            listener.Stop();
        }
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
