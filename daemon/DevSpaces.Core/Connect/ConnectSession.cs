using DevSpaces.Contracts;
using System.Net;
using System.Net.Sockets;
using System.Text;
using DevSpaces.Core.Cluster;
using DevSpaces.Core.Logging;
using DevSpaces.Core.PortForwarding;
using DevSpaces.Tunnel;
using DevSpaces.Tunnel.Takeover;
using k8s;
using k8s.Models;
using Nerdbank.Streams;
using StreamJsonRpc;

namespace DevSpaces.Core.Connect;

/// <summary>
/// A running connection of a Service to the local process: keeps one tunnel to the agent (reconnecting when it
/// drops), sends heartbeats, carries cluster clients to the local port and the local process's calls to cluster
/// services. Disposing it restores the workload.
/// </summary>
public sealed class ConnectSession : IAsyncDisposable
{
    private readonly ClusterConnection cluster;
    private readonly AgentSettings settings;
    private readonly string sessionKey;
    private readonly ILog log;
    private readonly Action<ConnectEvent> report;
    private readonly OwnedTasks work;
    private readonly Lock gate = new();
    private readonly TaskCompletionSource firstTunnel = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource<(TunnelConnection Tunnel, IAgentControl Agent)> current = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly LocalFiles local;
    private ReadyPodTracker? agentPods;
    private volatile bool disposing;
    private int restored;
    private bool hostsSection;

    internal ConnectSession(ClusterConnection cluster, TakeoverPlan plan, TakeoverRecord record, string agentImage, string sessionKey, int localPort, AgentSettings settings, ILog log, Action<ConnectEvent> report, LocalFiles local)
    {
        this.cluster = cluster;
        this.local = local;
        Plan = plan;
        Record = record;
        AgentImage = agentImage;
        this.sessionKey = sessionKey;
        LocalPort = localPort;
        this.settings = settings;
        this.log = log;
        this.report = report;
        work = new OwnedTasks(m => log.Warn(m));
    }

    public TakeoverPlan Plan { get; }

    public TakeoverRecord Record { get; }

    public int LocalPort { get; }

    /// <summary>The agent image the session runs.</summary>
    public string AgentImage { get; }

    /// <summary>The cluster services reachable from this machine.</summary>
    public IReadOnlyList<OutboundEndpoint> Endpoints { get; private set; } = [];

    /// <summary>The environment for the local process.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; internal set; } = new Dictionary<string, string>();

    /// <summary>The container's volume mounts and where their copies are (empty when mounts are not copied).</summary>
    public IReadOnlyList<LocalMount> Mounts { get; private set; } = [];

    /// <summary>The folder the mounts are copied to (each at this folder plus its container path); null when not copied.</summary>
    public string? MountRoot { get; private set; }

    /// <summary>The hosts file holding this session's section; null without one.</summary>
    public string? HostsFile => hostsSection ? local.Hosts.Path : null;

    /// <summary>Completes when the session ended on its own (the workload was restored behind its back).</summary>
    public Task Ended => ended.Task;

    /// <summary>Waits for the agent, opens the tunnel and binds the local endpoints (and with <paramref name="hosts"/> the Services' own addresses and the hosts-file section).</summary>
    internal async Task StartAsync(IReadOnlyList<OutboundEndpoint> outbound, bool hosts, CancellationToken cancellationToken)
    {
        // The tunnel is opened as soon as the agent's container runs: its handshake proves the agent listens, so it
        // need not wait for the kubelet's next readiness probe (the Service's endpoints do; the caller waits for them).
        var selector = $"{TakeoverNames.SessionLabel}={Record.Session}";
        agentPods = await ReadyPodTracker.StartAsync(cluster.Client, new PodSelection(Plan.SessionNamespace, selector, null), e => log.Debug($"agent pods: {e.Message}"), AgentStarted, cancellationToken).ConfigureAwait(false);
        work.Start("tunnel", KeepTunnelAsync);
        using (var ready = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            ready.CancelAfter(settings.ReadyTimeout);
            try
            {
                while (true)
                {
                    if (await Task.WhenAny(firstTunnel.Task, Task.Delay(500, ready.Token)).ConfigureAwait(false) == firstTunnel.Task)
                    {
                        break;
                    }

                    ready.Token.ThrowIfCancellationRequested();
                    var why = agentPods.DescribeWhyNoPodIsReady();
                    if (why.Contains("ErrImageNeverPull", StringComparison.Ordinal) || why.Contains("ImagePullBackOff", StringComparison.Ordinal) || why.Contains("ErrImagePull", StringComparison.Ordinal) || why.Contains("InvalidImageName", StringComparison.Ordinal))
                    {
                        throw ConnectErrors.AgentImageMissing(AgentImage, why);
                    }

                    if (why.Contains("CrashLoopBackOff", StringComparison.Ordinal) || why.Contains("exited with code", StringComparison.Ordinal))
                    {
                        throw ConnectErrors.AgentNotReady($"See its log: kubectl logs -n {Plan.SessionNamespace} -l {selector}", why);
                    }
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw ConnectErrors.AgentNotReady($"See kubectl describe pod -n {Plan.SessionNamespace} -l {selector}", $"no agent pod took the tunnel after {settings.ReadyTimeout.TotalSeconds:0} s ({agentPods.DescribeWhyNoPodIsReady()})");
            }
        }

        var bound = new List<OutboundEndpoint>();
        foreach (var endpoint in outbound)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var withPort = endpoint with { LocalPort = ((IPEndPoint)listener.LocalEndpoint).Port };
            bound.Add(withPort);
            work.Start($"local endpoint of {endpoint.Service}:{endpoint.ServicePort}", ct => ServeOutboundAsync(listener, withPort, ct));
        }

        if (hosts)
        {
            bound = BindServiceAddresses(bound);
            Endpoints = bound;
            // Isolated, the child holds few Services of its own: the nearest version of each name (each name is listed once) gets the plain name too.
            var entries = bound.Where(e => e.HostAddress != null).GroupBy(e => (e.Namespace, e.Service, e.HostAddress))
                .Select(g => new HostsEntry(g.Key.HostAddress!, LoopbackAddresses.NamesOf(g.Key.Service, g.Key.Namespace, g.Key.Namespace == Plan.SessionNamespace || Plan.IsolatedIn != null)))
                .ToList();
            hostsSection = true; // from here on, disposing removes it (also when writing fails half-way)
            local.Hosts.WriteSection(Record.Session, ProcessIdentity.Current(), $"(devspaces connect {Plan.ServiceName} in {Plan.SessionNamespace}; removed when the session ends)", entries);
            Report(ConnectEventKind.Progress, $"Hosts file {local.Hosts.Path}: {entries.Count} services resolve to their own loopback addresses ({string.Join(", ", entries.Take(5).Select(e => $"{e.Names[0]}→{e.Address}"))}{(entries.Count > 5 ? ", ..." : "")}).");
        }

        Endpoints = bound;
    }

    /// <summary>
    /// Gives each Service its own loopback address (see <see cref="LoopbackAddresses"/>) and listens there on its real
    /// ports, next to the ephemeral-port endpoints. A port below 1024 that this process may not bind fails the session.
    /// </summary>
    private List<OutboundEndpoint> BindServiceAddresses(List<OutboundEndpoint> endpoints)
    {
        var result = new List<OutboundEndpoint>();
        var taken = new HashSet<IPAddress>();
        foreach (var service in endpoints.GroupBy(e => (e.Namespace, e.Service)))
        {
            var done = false;
            for (var attempt = 0; attempt < 16 && !done; attempt++)
            {
                var address = LoopbackAddresses.For(service.Key.Namespace, service.Key.Service, attempt);
                if (!taken.Add(address))
                {
                    continue;
                }

                var listeners = new List<(TcpListener Listener, OutboundEndpoint Endpoint)>();
                try
                {
                    foreach (var endpoint in service)
                    {
                        var listener = new TcpListener(address, endpoint.ServicePort);
                        listeners.Add((listener, endpoint with { HostAddress = address.ToString() }));
                        listener.Start();
                    }
                }
                catch (SocketException e)
                {
                    var failed = listeners[^1].Endpoint;
                    foreach (var (listener, _) in listeners)
                    {
                        listener.Stop();
                    }

                    switch (e.SocketErrorCode)
                    {
                        case SocketError.AddressAlreadyInUse:
                            log.Debug($"{address}:{failed.ServicePort} is in use; trying the next address for {service.Key.Service}");
                            continue;
                        case SocketError.AddressNotAvailable:
                            throw ConnectErrors.LoopbackAddressUnavailable(address.ToString(), e.Message);
                        default:
                            throw ConnectErrors.PortNotAllowed(service.Key.Service, address.ToString(), failed.ServicePort, e.Message);
                    }
                }

                foreach (var (listener, endpoint) in listeners)
                {
                    result.Add(endpoint);
                    work.Start($"address of {endpoint.Service}:{endpoint.ServicePort}", ct => ServeOutboundAsync(listener, endpoint, ct));
                }

                done = true;
            }

            if (!done)
            {
                var first = service.First();
                throw ConnectErrors.PortNotAllowed(first.Service, "127.77.x.y", first.ServicePort, "its ports are in use on 16 candidate addresses");
            }
        }

        return result;
    }

    /// <summary>
    /// Copies the mounted files into a session folder, rewrites values naming a path inside them and adds
    /// <c>DEVSPACES_MOUNT_ROOT</c>; reports mounts that are not copied as warnings.
    /// </summary>
    internal async Task CopyMountsAsync(IVolumeContent content, CancellationToken cancellationToken)
    {
        MountRoot = local.Mounts.Create(Record.Session, ProcessIdentity.Current());
        var (mounts, warnings) = await new MountMaterializer(content).WriteAsync(Plan, MountRoot, Environment, cancellationToken).ConfigureAwait(false);
        Mounts = mounts;
        foreach (var warning in warnings)
        {
            Report(ConnectEventKind.Warning, $"Mount {warning}");
        }

        var variables = Environment.ToDictionary(v => v.Key, v => MountMaterializer.RewritePaths(v.Value, mounts), StringComparer.Ordinal);
        variables[MountRootVariable] = MountRoot;
        Environment = variables;
        var copied = mounts.Count(m => m.LocalPath != null);
        if (mounts.Count > 0)
        {
            Report(ConnectEventKind.Progress, $"Copied {copied} of {mounts.Count} mounts to {MountRoot} ({MountRootVariable}); paths in the environment point there.");
        }
    }

    /// <summary>The variable that names the folder of the copied mounts: a container path P is at $DEVSPACES_MOUNT_ROOT/P.</summary>
    public const string MountRootVariable = "DEVSPACES_MOUNT_ROOT";

    /// <summary>
    /// Waits until an agent pod passes its readiness probe. The tunnel opens before that; a Service pointed at the agent
    /// earlier (with <c>--keep-original</c>) would have no ready endpoint for a moment.
    /// </summary>
    internal async Task WaitForReadyAgentAsync(CancellationToken cancellationToken)
    {
        var selector = $"{TakeoverNames.SessionLabel}={Record.Session}";
        await using var ready = await ReadyPodTracker.StartAsync(cluster.Client, new PodSelection(Plan.SessionNamespace, selector, null), e => log.Debug($"agent pods: {e.Message}"), cancellationToken).ConfigureAwait(false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.ReadyTimeout);
        try
        {
            await ready.WaitForReadyPodAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw ConnectErrors.AgentNotReady($"See kubectl describe pod -n {Plan.SessionNamespace} -l {selector}", $"the agent pod did not pass its readiness probe within {settings.ReadyTimeout.TotalSeconds:0} s ({ready.DescribeWhyNoPodIsReady()})");
        }
    }

    /// <summary>
    /// Waits until the node's kube-proxy sends new connections to the Service's cluster address to the agent, as the
    /// agent sees by connecting to it (see <see cref="IAgentControl.WaitForRouteAsync"/>), for at most
    /// <paramref name="timeout"/>; false when that could not be seen (a Service without a cluster IP, a cluster where
    /// pods cannot reach themselves through their Service, an agent without the tunnel).
    /// </summary>
    internal Task<bool> WaitForServiceRouteAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        Plan.Service.Spec?.ClusterIP is { } address && IPAddress.TryParse(address, out _) && Plan.Ports.Count > 0
            ? ProbeRouteAsync(address, Plan.Ports[0].ServicePort, toAgent: true, timeout, cancellationToken)
            : Task.FromResult(false);

    /// <summary>The agent's route probe through the tunnel there is now; false at once without one (the settle time then stands).</summary>
    private async Task<bool> ProbeRouteAsync(string address, int port, bool toAgent, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Task<(TunnelConnection Tunnel, IAgentControl Agent)> tunnel;
        lock (gate)
        {
            tunnel = current.Task;
        }

        if (!tunnel.IsCompletedSuccessfully)
        {
            return false;
        }

        try
        {
            return await tunnel.Result.Agent.WaitForRouteAsync(address, port, toAgent, (int)timeout.TotalMilliseconds, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RemoteInvocationException or ConnectionLostException or ObjectDisposedException or TimeoutException)
        {
            log.Debug($"the agent could not probe {address}:{port}: {e.Message}");
            return false;
        }
    }

    /// <summary>
    /// Reports "connected": called once requests reach this machine (the Service's endpoints are the agent's, kube-proxy
    /// has applied them, and the original's pods are gone unless kept running).
    /// </summary>
    internal void ReportConnected() =>
        Report(ConnectEventKind.Connected, Plan.IsolatedIn is { } child
            ? $"Connected: requests to service {Plan.ServiceName} routed to space {child} now reach localhost:{LocalPort}; everyone else's keep reaching {Plan.Namespace}'s version."
            : $"Connected: requests to service {Plan.ServiceName} in {Plan.Namespace} now reach localhost:{LocalPort}.");

    /// <summary>The agent's container runs (it may not have passed its readiness probe yet).</summary>
    private static bool AgentStarted(V1Pod pod) =>
        pod.Metadata.DeletionTimestamp is null
        && pod.Status?.Phase == "Running"
        && pod.Status.ContainerStatuses is { Count: > 0 } containers
        && containers.All(c => c.State?.Running is not null);

    private async Task KeepTunnelAsync(CancellationToken cancellationToken)
    {
        var attempt = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            V1Pod pod;
            using (var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                wait.CancelAfter(TimeSpan.FromSeconds(15));
                try
                {
                    pod = await agentPods!.WaitForReadyPodAsync(wait.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    if (await IsRestoredAsync(cancellationToken).ConfigureAwait(false))
                    {
                        return;
                    }

                    continue;
                }
            }

            TunnelConnection? tunnel = null;
            try
            {
                using var open = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                open.CancelAfter(TimeSpan.FromSeconds(15));
                Phase("agent container running");
                var channel = await new WebSocketPodPortConnector(cluster.Client).ConnectAsync(Plan.SessionNamespace, pod.Metadata.Name, TakeoverNames.TunnelPort, open.Token).ConfigureAwait(false);
                Phase("tunnel websocket");
                var stream = new PodPortStream(channel);
                await TunnelHandshake.AuthenticateAsync(stream, sessionKey, open.Token).ConfigureAwait(false);
                Phase("tunnel handshake");
                var callbacks = new InboundHandler(this);
                tunnel = await TunnelConnection.OpenAsync<IDaemonCallbacks>(stream, offersControl: true, callbacks, open.Token).ConfigureAwait(false);
                callbacks.Attach(tunnel);
                var agent = tunnel.Rpc.Attach<IAgentControl>();
                Phase("tunnel multiplexer");
                await agent.HeartbeatAsync(open.Token).ConfigureAwait(false);
                Phase("first heartbeat");
                lock (gate)
                {
                    current.TrySetResult((tunnel, agent));
                }

                if (firstTunnel.TrySetResult())
                {
                    log.Info($"tunnel to agent pod {pod.Metadata.Name} open");
                }
                else
                {
                    Report(ConnectEventKind.Reconnected, $"Reconnected to agent pod {pod.Metadata.Name}.");
                }

                attempt = 0;
                await HeartbeatAsync(tunnel, agent, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                log.Debug($"tunnel to {pod.Metadata.Name}: {e.GetType().Name}: {e.Message}");
                if (e is TunnelRejectedException)
                {
                    Report(ConnectEventKind.TunnelLost, $"The agent pod {pod.Metadata.Name} refused this session's key: {e.Message}");
                }
            }
            finally
            {
                lock (gate)
                {
                    if (current.Task.IsCompleted)
                    {
                        current = new TaskCompletionSource<(TunnelConnection, IAgentControl)>(TaskCreationOptions.RunContinuationsAsynchronously);
                    }
                }

                if (tunnel != null)
                {
                    await tunnel.DisposeAsync().ConfigureAwait(false);
                }
            }

            if (cancellationToken.IsCancellationRequested || disposing)
            {
                return;
            }

            if (firstTunnel.Task.IsCompleted && attempt == 0)
            {
                Report(ConnectEventKind.TunnelLost, $"The tunnel to the agent dropped; reconnecting (requests in the cluster get a 503 text meanwhile).");
            }

            if (await IsRestoredAsync(cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            attempt++;
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 200 * attempt)), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task HeartbeatAsync(TunnelConnection tunnel, IAgentControl agent, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(settings.HeartbeatInterval);
        while (!tunnel.Completion.IsCompleted)
        {
            var tick = timer.WaitForNextTickAsync(cancellationToken).AsTask();
            if (await Task.WhenAny(tick, tunnel.Completion).ConfigureAwait(false) != tick || !await tick.ConfigureAwait(false))
            {
                return;
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            await agent.HeartbeatAsync(timeout.Token).ConfigureAwait(false);
        }
    }

    /// <summary>True (and the session ends) when the workload no longer carries this session's record.</summary>
    private async Task<bool> IsRestoredAsync(CancellationToken cancellationToken)
    {
        if (disposing)
        {
            return true; // this session is restoring it: the tunnel ends with the agent
        }

        TakeoverRecord? record;
        try
        {
            record = await new ServiceTakeover(cluster).ReadSessionRecordAsync(Plan, cancellationToken).ConfigureAwait(false);
        }
        catch (Errors.DevSpacesException e)
        {
            log.Debug($"cannot check the session's record: {e.Message}");
            return false;
        }

        if (record?.Session == Record.Session)
        {
            return false;
        }

        Interlocked.Exchange(ref restored, 1);
        Report(ConnectEventKind.Restored, Plan.IsolatedIn is { } isolatedIn
            ? $"The session's objects in {isolatedIn} were removed without it (its agent lost the heartbeat); the session has ended."
            : $"The {Plan.Workload} was restored without this session (its agent lost the heartbeat); the session has ended.");
        ended.TrySetResult();
        return true;
    }

    private async Task<(TunnelConnection Tunnel, IAgentControl Agent)> CurrentTunnelAsync(CancellationToken cancellationToken)
    {
        Task<(TunnelConnection, IAgentControl)> task;
        lock (gate)
        {
            task = current.Task;
        }

        return await task.WaitAsync(TimeSpan.FromSeconds(20), cancellationToken).ConfigureAwait(false);
    }

    private async Task ServeOutboundAsync(TcpListener listener, OutboundEndpoint endpoint, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var client = await listener.AcceptTcpClientAsync(cancellationToken).ConfigureAwait(false);
                client.NoDelay = true;
                work.Start($"connection to {endpoint.Service}:{endpoint.ServicePort}", async ct =>
                {
                    using (client)
                    {
                        try
                        {
                            var (tunnel, agent) = await CurrentTunnelAsync(ct).ConfigureAwait(false);
                            var id = await agent.DialAsync(endpoint.ClusterHost, endpoint.ServicePort, ct).ConfigureAwait(false);
                            var channel = tunnel.Multiplexer.AcceptChannel(id);
                            await using var carried = channel.AsStream();
                            await StreamPump.RunAsync(client.GetStream(), carried, ct).ConfigureAwait(false);
                        }
                        catch (Exception e) when (e is RemoteInvocationException or ConnectionLostException or TimeoutException or ObjectDisposedException or InvalidOperationException)
                        {
                            Report(ConnectEventKind.OutboundFailed, $"Could not reach service {endpoint.Service}:{endpoint.ServicePort} in {endpoint.Namespace} from the cluster: {e.Message}");
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

    private async Task<bool> ConnectInboundAsync(TunnelConnection tunnel, ulong channelId, int targetPort, string remote, CancellationToken cancellationToken)
    {
        var channel = tunnel.Multiplexer.AcceptChannel(channelId);
        var local = new TcpClient { NoDelay = true };
        try
        {
            await local.ConnectAsync(IPAddress.Loopback, LocalPort, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            local.Dispose();
            var text = $"DevSpaces connect: service {Plan.ServiceName} (port {targetPort}) is connected to localhost:{LocalPort} on {Record.Owner}, but nothing listens there ({e.SocketErrorCode}). Start the local process on port {LocalPort}.";
            Report(ConnectEventKind.LocalPortNotListening, $"A request from {remote} to port {targetPort} found nothing listening on localhost:{LocalPort}; it got a 502. Start the local process on port {LocalPort}.");
            await using var stream = channel.AsStream();
            var body = Encoding.UTF8.GetBytes(text + "\n");
            var head = Encoding.ASCII.GetBytes($"HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
            await stream.WriteAsync(head.Concat(body).ToArray(), cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            return false;
        }

        work.Start($"connection from {remote}", async ct =>
        {
            using (local)
            await using (var carried = channel.AsStream())
            {
                await StreamPump.RunAsync(local.GetStream(), carried, ct).ConfigureAwait(false);
            }
        });
        return true;
    }

    /// <summary>Marks a step of the first tunnel in the debug log, next to the set-up phases of the connect call.</summary>
    private void Phase(string name)
    {
        if (!firstTunnel.Task.IsCompleted)
        {
            log.Debug($"connect set-up: {name}");
        }
    }

    private void Report(ConnectEventKind kind, string message)
    {
        log.Info(message);
        report(new ConnectEvent(DateTimeOffset.UtcNow, kind, message));
    }

    /// <summary>
    /// Restores the workload (unless it was restored already) while the tunnel still carries the Service's connections to
    /// this machine, so nothing is dropped until the traffic has moved back; waits while the leaving agent drains the
    /// connections it carries (it closes the tunnel when done); then stops the tunnel and removes the hosts-file section
    /// and the mount copies.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        disposing = true;
        try
        {
            if (Interlocked.Exchange(ref restored, 1) == 0)
            {
                using var timeout = new CancellationTokenSource(ServiceTakeover.RestoreTimeout);
                var steps = await new ServiceTakeover(cluster).RestoreAsync(Plan, Record.Session, timeout.Token, (address, port, wait, ct) => ProbeRouteAsync(address, port, toAgent: false, wait, ct)).ConfigureAwait(false);
                Report(ConnectEventKind.Restored, $"Restored service {Plan.ServiceName}: {string.Join("; ", steps)}.");
                await WaitForAgentDrainAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            await work.DisposeAsync().ConfigureAwait(false);
            if (agentPods != null)
            {
                await agentPods.DisposeAsync().ConfigureAwait(false);
            }

            RemoveLocalFiles();
            ended.TrySetResult();
        }
    }

    /// <summary>The agent, deleted by the restore, ends its carried connections after an answer each and then closes the tunnel.</summary>
    private async Task WaitForAgentDrainAsync()
    {
        Task<(TunnelConnection Tunnel, IAgentControl Agent)> task;
        lock (gate)
        {
            task = current.Task;
        }

        if (task.IsCompletedSuccessfully)
        {
            try
            {
                await task.Result.Tunnel.Completion.WaitAsync(settings.DrainTimeout).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                log.Warn($"the agent still carried connections {settings.DrainTimeout.TotalSeconds:0} s after the restore; closing the tunnel");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.Debug($"tunnel ended while the agent drained: {e.Message}");
            }
        }
    }

    private void RemoveLocalFiles()
    {
        if (hostsSection)
        {
            try
            {
                local.Hosts.RemoveSection(Record.Session);
                hostsSection = false;
            }
            catch (Errors.DevSpacesException e)
            {
                log.Warn($"could not remove this session's section from {local.Hosts.Path}: {e.Message} The next devspaces start removes it.");
            }
        }

        if (MountRoot != null)
        {
            try
            {
                local.Mounts.Delete(Record.Session);
                MountRoot = null;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                log.Warn($"could not delete the mount copies in {MountRoot}: {e.Message} The next devspaces start deletes them.");
            }
        }
    }

    /// <summary>The daemon's side of the control channel for one tunnel.</summary>
    private sealed class InboundHandler(ConnectSession session) : IDaemonCallbacks
    {
        // The agent may call before OpenAsync has returned the tunnel to us; such calls wait for it.
        private readonly TaskCompletionSource<TunnelConnection> tunnel = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Attach(TunnelConnection opened) => tunnel.TrySetResult(opened);

        public async Task<bool> ConnectInboundAsync(ulong channelId, int targetPort, string remote, CancellationToken cancellationToken) =>
            await session.ConnectInboundAsync(await tunnel.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false), channelId, targetPort, remote, cancellationToken).ConfigureAwait(false);
    }
}
