using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using DevSpaces.Contracts;
using DevSpaces.Core.Cluster;
using DevSpaces.Core.Errors;
using DevSpaces.Core.Logging;
using DevSpaces.Core.Workspace;
using DevSpaces.Tunnel;

namespace DevSpaces.Core.Connect;

/// <summary>
/// The daemon's connect surface: owns the sessions it started (disposing it restores them all) and sends their
/// events to the client as <c>connect/event</c> notifications, in order.
/// </summary>
public sealed class ConnectHandler : IConnectRpc, IAsyncDisposable
{
    private readonly WorkspaceSession workspace;
    private readonly Func<ClusterConnection, ConnectService> connectFor;
    private readonly ConcurrentDictionary<string, ConnectSession> sessions = new(StringComparer.Ordinal);
    private readonly Channel<ConnectEventInfo> events = Channel.CreateUnbounded<ConnectEventInfo>(new UnboundedChannelOptions { SingleReader = true });
    private readonly OwnedTasks work;

    /// <param name="connectFor">The connect pipeline for a cluster (built by the composition root).</param>
    public ConnectHandler(WorkspaceSession workspace, Func<ClusterConnection, ConnectService> connectFor)
    {
        this.workspace = workspace;
        this.connectFor = connectFor;
        work = new OwnedTasks(m => workspace.Log.Warn(m));
        work.Start("connect notifications", SendEventsAsync);
    }

    public async Task<ConnectInfo> StartConnectAsync(string service, int localPort, string? space = null, string? container = null, bool mounts = true, bool hosts = false, bool keepOriginal = false, bool forwardProbes = false, bool isolated = false, CancellationToken cancellationToken = default)
    {
        if (localPort is < 1 or > 65535)
        {
            throw new DevSpacesException(RpcErrorCode.ConnectTargetInvalid, $"The local port must be 1-65535, not {localPort}.", "Pass the port your local process listens on.");
        }

        var ns = space ?? workspace.State.Space ?? throw new DevSpacesException(
            RpcErrorCode.NoSpaceSelected, "No space is selected, and the request names none.", "Select a space first, or pass space.");
        string? id = null;
        var connected = await connectFor(workspace.Connect()).ConnectAsync(
            new ConnectRequest(ns, service, localPort) { Container = container, CopyMounts = mounts, WriteHosts = hosts, KeepOriginal = keepOriginal, ForwardProbes = forwardProbes, Isolated = isolated },
            e => events.Writer.TryWrite(new ConnectEventInfo(id, service, e.Kind, e.Message, e.Time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture))),
            cancellationToken).ConfigureAwait(false);
        id = connected.Record.Session;
        sessions[id] = connected;
        work.Start($"session {id}", async ct =>
        {
            // A session restored behind our back (agent lost the heartbeat) leaves the list.
            await connected.Ended.WaitAsync(ct).ConfigureAwait(false);
            if (sessions.TryRemove(id, out var ended))
            {
                await ended.DisposeAsync().ConfigureAwait(false);
            }
        });
        return Describe(connected);
    }

    public async Task StopConnectAsync(string session, CancellationToken cancellationToken = default)
    {
        if (sessions.TryRemove(session, out var connected))
        {
            await connected.DisposeAsync().ConfigureAwait(false);
        }
    }

    public Task<ConnectList> ListConnectionsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(new ConnectList([.. sessions.Values.Select(Describe)]));

    private static ConnectInfo Describe(ConnectSession s) => new(
        s.Record.Session,
        s.Plan.SessionNamespace,
        s.Plan.ServiceName,
        s.Plan.Workload.ToInfo(),
        s.Plan.Container.Name,
        s.LocalPort,
        s.Record.Owner,
        s.Record.StartedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        [.. s.Environment.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => new EnvironmentVariable(e.Key, e.Value))],
        [.. s.Endpoints.Select(e => new ConnectEndpoint(e.Service, e.Namespace, e.PortName, e.ServicePort, e.LocalPort, e.HostAddress))],
        [.. s.Mounts.Select(m => new ConnectMount(m.ContainerPath, m.LocalPath, m.Volume, m.Kind, m.Note))]);

    private async Task SendEventsAsync(CancellationToken cancellationToken)
    {
        await foreach (var e in events.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            await workspace.Notifier.NotifyAsync(RpcNotifications.ConnectEvent, e).ConfigureAwait(false);
        }
    }

    /// <summary>Restores every session still running.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var id in sessions.Keys.ToList())
        {
            if (sessions.TryRemove(id, out var session))
            {
                await session.DisposeAsync().ConfigureAwait(false);
            }
        }

        events.Writer.TryComplete();
        await work.DisposeAsync().ConfigureAwait(false);
    }
}
