using DevSpaces.Core.Errors;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using DevSpaces.Contracts;
using DevSpaces.Core.Logging;
using k8s;
using k8s.Models;

namespace DevSpaces.Core.PortForwarding;

/// <summary>
/// A running forward: owns the local listeners, the pod watch and every forwarded connection. Disposing stops
/// accepting, closes all connections and waits for them.
/// </summary>
public sealed class PortForwardSession : IAsyncDisposable
{
    private readonly ResolvedTarget _target;
    private readonly ReadyPodTracker _tracker;
    private readonly IPodChannelOpener _connector;
    private readonly IProgress<PortForwardEvent>? _events;
    private readonly List<(Socket Listener, ForwardedPort Port)> _listeners;
    private readonly List<WarmSpares> _spares = [];
    private readonly PortForwardRequest _request;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<long, Task> _connections = new();
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<Task> _acceptLoops = [];
    private readonly Lock _holdLock = new();
    private readonly List<CancellationTokenSource> _endedEpochs = [];
    private TaskCompletionSource? _hold;
    private int _holds;
    private int _held;
    private CancellationTokenSource _epoch;
    private long _nextConnectionId;
    private int _disposed;

    private PortForwardSession(
        ResolvedTarget target, ReadyPodTracker tracker, IPodChannelOpener connector,
        IProgress<PortForwardEvent>? events, List<(Socket, ForwardedPort)> listeners, PortForwardRequest request)
    {
        _request = request;
        _target = target;
        _tracker = tracker;
        _connector = connector;
        _events = events;
        _listeners = listeners;
        _epoch = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
    }

    public PortForwardTarget Target => _target.Target;

    /// <summary>The bound local endpoints (a requested port 0 shows the port actually chosen).</summary>
    public IReadOnlyList<ForwardedPort> Ports => _listeners.Select(l => l.Port).ToList();

    /// <summary>The pod new connections go to, or null while none is ready.</summary>
    public string? CurrentPod => _tracker.Current?.Metadata.Name;

    public int ActiveConnections => _connections.Count(c => !c.Value.IsCompleted);

    /// <summary>Completes when the forward has stopped.</summary>
    public Task Completion => _stopped.Task;

    /// <summary>
    /// Resolves the target, binds the local ports, waits for a ready pod and starts accepting. Fails with a
    /// <see cref="DevSpacesException"/> that says what to fix; nothing stays bound after a failure. The forward
    /// disposes <paramref name="connector"/> when it stops if that is disposable.
    /// </summary>
    /// <param name="events">Called synchronously from the forward's own tasks; keep it quick and thread-safe.</param>
    public static Task<PortForwardSession> StartAsync(
        IKubernetes client, IPodChannelOpener connector, PortForwardRequest request,
        IProgress<PortForwardEvent>? events, CancellationToken cancellationToken) =>
        StartAsync(new ClusterForwardTargets(client), connector, request, events, cancellationToken);

    /// <summary>As above, with the target and its pods read through <paramref name="targets"/>.</summary>
    public static async Task<PortForwardSession> StartAsync(
        IForwardTargets targets, IPodChannelOpener connector, PortForwardRequest request,
        IProgress<PortForwardEvent>? events, CancellationToken cancellationToken)
    {
        if (request.Ports.Count == 0)
        {
            throw new DevSpacesException(RpcErrorCode.InvalidPortForward, "No ports to forward.", "Give at least one LOCAL:REMOTE mapping.");
        }

        var target = await targets.ResolveAsync(request.Target, cancellationToken).ConfigureAwait(false);
        foreach (var mapping in request.Ports)
        {
            target.Validate(mapping.RemotePort);
        }

        var listeners = Bind(request);
        ReadyPodTracker? tracker = null;
        try
        {
            tracker = await ReadyPodTracker.StartAsync(
                targets.PodsOf(target.Selection), target.Selection, e => events?.Report(e), PodReadiness.IsReady, new NullLog(), null, cancellationToken).ConfigureAwait(false);
            V1Pod pod;
            using (var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                wait.CancelAfter(request.ReadyPodTimeout);
                try
                {
                    pod = await tracker.WaitForReadyPodAsync(wait.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new DevSpacesException(
                        RpcErrorCode.NoReadyPod,
                        $"No ready pod for {request.Target} after {request.ReadyPodTimeout.TotalSeconds:0} s: {tracker.DescribeWhyNoPodIsReady()}.",
                        "Check the pods (kubectl describe pod / kubectl logs) and try again once one is ready.");
                }
            }

            foreach (var mapping in request.Ports)
            {
                target.ResolveContainerPort(mapping.RemotePort, pod);
            }
        }
        catch
        {
            foreach (var (listener, _) in listeners)
            {
                listener.Dispose();
            }

            if (tracker is not null)
            {
                await tracker.DisposeAsync().ConfigureAwait(false);
            }

            if (connector is IAsyncDisposable owned)
            {
                await owned.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }

        var session = new PortForwardSession(target, tracker, connector, events, listeners, request);
        session.StartAccepting();
        return session;
    }

    /// <summary>
    /// Holds new connections while the process behind the forwarded ports restarts: they wait for it, instead of
    /// reaching a port nothing listens on yet. Disposing the hold lets them through, and ends the connections and
    /// warm spares opened before it: they reached the process the restart replaced.
    /// </summary>
    public IDisposable HoldForRestart()
    {
        lock (_holdLock)
        {
            _hold ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _holds++;
        }

        return new RestartHold(this);
    }

    /// <summary>True while a restart holds new connections.</summary>
    public bool IsHolding
    {
        get
        {
            lock (_holdLock)
            {
                return _hold is not null;
            }
        }
    }

    /// <summary>Connections waiting for a hold to end.</summary>
    public int HeldConnections => Volatile.Read(ref _held);

    /// <summary>Stops the forward; the same as disposing.</summary>
    public Task StopAsync() => DisposeAsync().AsTask();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            await _stopped.Task.ConfigureAwait(false);
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (var (listener, _) in _listeners)
        {
            listener.Dispose();
        }

        await Task.WhenAll(_acceptLoops).ConfigureAwait(false);
        foreach (var spare in _spares)
        {
            await spare.DisposeAsync().ConfigureAwait(false);
        }

        await Task.WhenAll(_connections.Values).ConfigureAwait(false);
        if (_connector is IAsyncDisposable owned)
        {
            await owned.DisposeAsync().ConfigureAwait(false);
        }

        await _tracker.DisposeAsync().ConfigureAwait(false);
        lock (_holdLock)
        {
            _hold?.TrySetResult();
            _endedEpochs.Add(_epoch);
            foreach (var epoch in _endedEpochs)
            {
                epoch.Dispose();
            }
        }

        _stop.Dispose();
        Report(new PortForwardEvent(DateTimeOffset.UtcNow, ForwardEventKind.Stopped, $"Stopped forwarding to {Target}."));
        _stopped.TrySetResult();
    }

    private static List<(Socket, ForwardedPort)> Bind(PortForwardRequest request)
    {
        var bound = new List<(Socket, ForwardedPort)>();
        try
        {
            foreach (var mapping in request.Ports)
            {
                var socket = new Socket(request.BindAddress.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(request.BindAddress, mapping.LocalPort));
                    socket.Listen(512);
                }
                catch (SocketException e)
                {
                    socket.Dispose();
                    throw BindFailure(request.BindAddress, mapping.LocalPort, e);
                }

                bound.Add((socket, new ForwardedPort((IPEndPoint)socket.LocalEndPoint!, mapping.RemotePort)));
            }
        }
        catch
        {
            foreach (var (socket, _) in bound)
            {
                socket.Dispose();
            }

            throw;
        }

        return bound;
    }

    private static DevSpacesException BindFailure(IPAddress address, int port, SocketException e)
    {
        if (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            var owner = new PortOwnerLookup().FindListener(port);
            return new DevSpacesException(
                RpcErrorCode.LocalPortInUse,
                $"Local port {port} on {address} is already in use{(owner is null ? "" : $" by {owner}")}.",
                "Choose another local port (or :REMOTE for any free one), or stop the process that holds it.",
                e.Message,
                e);
        }

        return new DevSpacesException(
            RpcErrorCode.InvalidPortForward,
            $"Cannot listen on {address}:{port}: {e.Message}.",
            port < 1024 ? "Ports below 1024 need privileges; choose a port above 1024." : "Choose another local port or address.",
            e.Message,
            e);
    }

    private void StartAccepting()
    {
        foreach (var (listener, port) in _listeners)
        {
            Report(new PortForwardEvent(DateTimeOffset.UtcNow, ForwardEventKind.Listening,
                $"Forwarding {port.LocalEndPoint} -> {Target} port {port.RemotePort}.", Pod: CurrentPod,
                LocalPort: port.LocalEndPoint.Port));
            var spare = new WarmSpares(ct => OpenAsync(port, ct), () => CurrentPod, _request.WarmConnections, _request.WarmConnectionLifetime);
            _spares.Add(spare);
            _acceptLoops.Add(AcceptLoopAsync(listener, port, spare, _stop.Token));
        }
    }

    private async Task AcceptLoopAsync(Socket listener, ForwardedPort port, WarmSpares spare, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket local;
            try
            {
                local = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException
                                           || (e is SocketException && cancellationToken.IsCancellationRequested))
            {
                return;
            }
            catch (SocketException)
            {
                // A client that gave up before we accepted it; keep serving the others.
                continue;
            }

            local.NoDelay = true;
            var id = Interlocked.Increment(ref _nextConnectionId);
            var connection = Task.Run(() => ServeAsync(id, local, port, spare, cancellationToken), CancellationToken.None);
            _connections[id] = connection;
            if (connection.IsCompleted)
            {
                _connections.TryRemove(id, out _);
            }
        }
    }

    private async Task ServeAsync(long id, Socket local, ForwardedPort port, WarmSpares spare, CancellationToken cancellationToken)
    {
        try
        {
            using (local)
            {
                // Ensure an open is in flight for this connection to take, then one more for the next.
                PodConnection? connection;
                CancellationToken epoch;
                try
                {
                    epoch = await PassHoldAsync(cancellationToken).ConfigureAwait(false);
                    spare.Replenish();
                    connection = await spare.TakeAsync(cancellationToken).ConfigureAwait(false);
                    spare.Replenish();
                    connection ??= await ConnectAsync(id, port, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }

                if (connection is null)
                {
                    return;
                }

                var (pod, remotePort, channel) = connection;

                await using (channel.ConfigureAwait(false))
                {
                    Report(new PortForwardEvent(DateTimeOffset.UtcNow, ForwardEventKind.ConnectionOpened,
                        $"Connection {id} on port {port.LocalEndPoint.Port} -> pod {pod}:{remotePort}.",
                        Pod: pod, LocalPort: port.LocalEndPoint.Port, RemotePort: remotePort, ConnectionId: id));
                    var (toPod, fromPod) = await ForwardedConnection.PumpAsync(local, channel, _request.HalfClosedIdleTimeout, epoch).ConfigureAwait(false);
                    var error = channel.Error;
                    Report(error is null
                        ? new PortForwardEvent(DateTimeOffset.UtcNow, ForwardEventKind.ConnectionClosed,
                            $"Connection {id} closed ({toPod} bytes to pod, {fromPod} bytes back).",
                            Pod: pod, LocalPort: port.LocalEndPoint.Port, RemotePort: remotePort, ConnectionId: id,
                            BytesToPod: toPod, BytesFromPod: fromPod)
                        : new PortForwardEvent(DateTimeOffset.UtcNow, ForwardEventKind.ConnectionFailed,
                            $"Connection {id} to pod {pod} port {remotePort} failed: {error}. Is something listening on port {remotePort} in the pod? The forward stays up.",
                            Pod: pod, LocalPort: port.LocalEndPoint.Port, RemotePort: remotePort, ConnectionId: id,
                            BytesToPod: toPod, BytesFromPod: fromPod));
                }
            }
        }
        finally
        {
            _connections.TryRemove(id, out _);
        }
    }

    /// <summary>Waits while a restart holds new connections; the token ends the connection when a later restart replaces its process.</summary>
    private async Task<CancellationToken> PassHoldAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task hold;
            lock (_holdLock)
            {
                if (_hold is null)
                {
                    return _epoch.Token;
                }

                hold = _hold.Task;
            }

            Interlocked.Increment(ref _held);
            try
            {
                await hold.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref _held);
            }
        }
    }

    private void EndHold()
    {
        TaskCompletionSource released;
        CancellationTokenSource earlier;
        lock (_holdLock)
        {
            if (--_holds > 0 || _hold is null || _disposed == 1)
            {
                return;
            }

            released = _hold;
            _hold = null;
            earlier = _epoch;
            _endedEpochs.Add(earlier);
            _epoch = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            earlier.Cancel();
        }

        foreach (var spare in _spares)
        {
            spare.Discard();
        }

        released.TrySetResult();
    }

    private sealed class RestartHold(PortForwardSession session) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                session.EndHold();
            }
        }
    }

    private async Task<PodConnection> OpenAsync(ForwardedPort port, CancellationToken cancellationToken)
    {
        var pod = _tracker.Current ?? throw new InvalidOperationException("No ready pod.");
        var remotePort = _target.ResolveContainerPort(port.RemotePort, pod);
        var channel = await _connector.OpenAsync(_target.Selection.Namespace, pod.Metadata.Name, remotePort, cancellationToken).ConfigureAwait(false);
        return new PodConnection(pod.Metadata.Name, remotePort, channel);
    }

    private async Task<PodConnection?> ConnectAsync(long id, ForwardedPort port, CancellationToken cancellationToken)
    {
        // A pod can vanish between the watch event and our connect; then try the next ready one.
        for (var attempt = 1; ; attempt++)
        {
            string podName = "?";
            var remotePort = 0;
            try
            {
                var pod = await _tracker.WaitForReadyPodAsync(cancellationToken).ConfigureAwait(false);
                podName = pod.Metadata.Name;
                remotePort = _target.ResolveContainerPort(port.RemotePort, pod);
                var channel = await _connector.OpenAsync(_target.Selection.Namespace, podName, remotePort, cancellationToken).ConfigureAwait(false);
                return new PodConnection(podName, remotePort, channel);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return null;
            }
            catch (Exception e) when (attempt < 3 && e is not DevSpacesException && _tracker.Current?.Metadata.Name != podName)
            {
                continue;
            }
            catch (Exception e)
            {
                Report(new PortForwardEvent(DateTimeOffset.UtcNow, ForwardEventKind.ConnectionFailed,
                    $"Connection {id} could not reach pod {podName} port {port.RemotePort}: {e.Message}. The forward stays up.",
                    Pod: podName, LocalPort: port.LocalEndPoint.Port, RemotePort: remotePort == 0 ? null : remotePort, ConnectionId: id));
                return null;
            }
        }
    }

    private void Report(PortForwardEvent e) => _events?.Report(e);
}
