using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using DevSpaces.Contracts;
using DevSpaces.Core.Cluster;
using DevSpaces.Core.Errors;
using DevSpaces.Core.Logging;
using DevSpaces.Core.Workspace;

namespace DevSpaces.Core.PortForwarding;

/// <summary>
/// The <c>portForward/*</c> methods: owns every forward started through it and stops them all when disposed.
/// </summary>
public sealed class PortForwardHandler(WorkspaceSession session, IProgress<PortForwardEventInfo> events) : IPortForwardRpc, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, (PortForwardSession Session, string Target)> _forwards = new(StringComparer.Ordinal);
    private long _nextId;

    public async Task<PortForwardInfo> StartPortForwardAsync(string target, IReadOnlyList<string> ports, string? space = null, string? address = null, CancellationToken cancellationToken = default)
    {
        var id = $"pf-{Interlocked.Increment(ref _nextId)}";
        var connection = session.Connect();
        try
        {
            var request = new PortForwardRequest(PortForwardTarget.Parse(target, DefaultNamespace(space)), ports.Select(PortMapping.Parse).ToList());
            if (address is not null)
            {
                request = request with { BindAddress = IPAddress.TryParse(address, out var ip) ? ip : throw new DevSpacesException(RpcErrorCode.InvalidPortForward, $"'{address}' is not an IP address.", "Use e.g. 127.0.0.1 or 0.0.0.0.") };
            }

            // A forward the user may not open would print "forwarding" and then refuse every connection: ask first.
            var ns = request.Target.Namespace;
            await AccessReview.RequireAsync(connection, [
                new ClusterOperation("create", "pods/portforward", Namespace: ns),
                new ClusterOperation("list", "pods", Namespace: ns),
                new ClusterOperation("watch", "pods", Namespace: ns),
            ], cancellationToken).ConfigureAwait(false);
            var reporter = new CallbackReporter(e => events.Report(ToInfo(id, e)));
            var forward = await PortForwardSession.StartAsync(connection.Client, SessionPodChannelOpener.ForCluster(connection.Client), request, reporter, cancellationToken).ConfigureAwait(false);
            _forwards[id] = (forward, target);
            session.Log.Info($"port forward {id} started: {target} {string.Join(' ', ports)}");
            return ToInfo(id, target, forward);
        }
        catch (Exception e) when (e is not OperationCanceledException and not DevSpacesException)
        {
            // API failures (RBAC, unreachable server, expired credentials) in the user's terms.
            throw KubernetesFailures.Translate(e, new ClusterOperation("watch", "pods", Namespace: DefaultNamespace(space)), connection.Target);
        }
    }

    public async Task<PortForwardInfo> StopPortForwardAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!_forwards.TryRemove(id, out var forward))
        {
            throw new DevSpacesException(
                RpcErrorCode.PortForwardNotFound,
                $"There is no port forward '{id}'.",
                $"Running forwards: {(_forwards.IsEmpty ? "none" : string.Join(", ", _forwards.Keys.Order(StringComparer.Ordinal)))}.");
        }

        var info = ToInfo(id, forward.Target, forward.Session);
        await forward.Session.DisposeAsync().ConfigureAwait(false);
        session.Log.Info($"port forward {id} stopped");
        return info with { ActiveConnections = 0 };
    }

    public Task<PortForwardList> ListPortForwardsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(new PortForwardList(_forwards
            .OrderBy(f => long.Parse(f.Key[3..], CultureInfo.InvariantCulture))
            .Select(f => ToInfo(f.Key, f.Value.Target, f.Value.Session))
            .ToList()));

    public async ValueTask DisposeAsync()
    {
        foreach (var id in _forwards.Keys.ToList())
        {
            if (_forwards.TryRemove(id, out var forward))
            {
                await forward.Session.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    public static PortForwardEventInfo ToInfo(string id, PortForwardEvent e) => new(
        id,
        e.Kind,
        e.Message,
        e.Time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        e.Pod,
        e.PreviousPod,
        e.LocalPort,
        e.RemotePort,
        e.ConnectionId);

    private static PortForwardInfo ToInfo(string id, string target, PortForwardSession forward) => new(
        id,
        target,
        forward.Target.Namespace,
        forward.Ports.Select(p => new ForwardedPortInfo(p.LocalEndPoint.Address.ToString(), p.LocalEndPoint.Port, p.RemotePort)).ToList(),
        forward.CurrentPod,
        forward.ActiveConnections);

    /// <summary>The namespace for targets that name none: the given space, the selected one, the context's, or default.</summary>
    private string DefaultNamespace(string? space)
    {
        if ((space ?? session.State.Space) is { } chosen)
        {
            return chosen;
        }

        return session.ContextNamespace() ?? "default";
    }

    private sealed class CallbackReporter(Action<PortForwardEvent> report) : IProgress<PortForwardEvent>
    {
        public void Report(PortForwardEvent value) => report(value);
    }
}
