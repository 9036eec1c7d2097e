using System.Collections.Concurrent;
using DevSpaces.Contracts;
using DevSpaces.Core.Cluster;
using DevSpaces.Core.Cluster.Api;
using DevSpaces.Core.Errors;
using DevSpaces.Core.Lifetime;
using DevSpaces.Core.Logging;
using DevSpaces.Core.Spaces;
using DevSpaces.Core.Workspace;

namespace DevSpaces.Core.Watch;

/// <summary>
/// Watches the namespaces and services of the workspace's cluster and tells the client about spaces and
/// services that appear, change or go (whoever changed them), each kind with a <see cref="ListWatch{T}"/>;
/// while one fails it reports <c>connection/status</c> failed, and <c>connected</c> once both are listed.
/// </summary>
public sealed class SpaceWatch(WorkspaceSession session, TimeSpan? serverTimeout = null) : IAsyncDisposable
{
    /// <summary>How long the API server keeps one watch stream open before the loop resumes it.</summary>
    public static readonly TimeSpan DefaultServerTimeout = TimeSpan.FromMinutes(10);
    private readonly int timeoutSeconds = (int)Math.Max(1, (serverTimeout ?? DefaultServerTimeout).TotalSeconds);

    /// <summary>An editor's view can wait: from 1 s up to 30 s between attempts against a failing server.</summary>
    private static readonly WatchBackoff Backoff = new() { Initial = TimeSpan.FromSeconds(1), Max = TimeSpan.FromSeconds(30) };

    /// <summary>Namespaces and services: both must be listed before the connection counts as established.</summary>
    private const int WatchedKinds = 2;
    private readonly Lock gate = new();
    private readonly SemaphoreSlim reportGate = new(1, 1);
    private CancellationTokenSource? stop;
    private Task? running;
    private (ConnectionState State, int? Code)? lastReported;
    private readonly ConcurrentDictionary<string, bool> forbidden = new(StringComparer.Ordinal);

    /// <summary>(Re)starts watching the cluster of the workspace's current context.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await StopAsync().ConfigureAwait(false);
        lock (gate)
        {
            stop = new CancellationTokenSource();
            var token = stop.Token;

            // Connecting (kubeconfig, credential plugins) happens off the caller's path: initialize answers at once.
            running = Task.Run(() => RunAsync(token), CancellationToken.None);
        }
    }

    /// <summary>Stops watching and waits for the loops to end.</summary>
    public async Task StopAsync()
    {
        CancellationTokenSource? cts;
        Task? task;
        lock (gate)
        {
            (cts, task, stop, running) = (stop, running, null, null);
        }

        if (cts == null)
        {
            return;
        }

        await OwnedLoop.CancelAndWaitAsync(cts, task!).ConfigureAwait(false);

        cts.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        reportGate.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        lastReported = null;
        var connection = TryConnect();
        await ReportAsync(new ConnectionStatus(ConnectionState.Connecting, connection?.Context, connection?.Target.Server, null, null)).ConfigureAwait(false);
        var spaces = new ConcurrentDictionary<string, SpaceRecord>();
        var services = new ConcurrentDictionary<string, bool>();
        var healthy = new ConcurrentDictionary<string, bool>();
        await using var namespaceWatch = Start(
            "namespaces",
            ApiWatchSource<ApiNamespace>.Of(session.Connect, new ClusterOperation("list", "namespaces"), ApiPaths.All("namespaces"), ApiJson.Default.ApiListApiNamespace, ApiJson.Default.ApiNamespace, timeoutSeconds),
            (items, initial) => ApplyNamespaceListAsync(items, initial, spaces),
            (kind, ns) => ApplyNamespaceEventAsync(kind, ns, spaces),
            healthy);
        await using var serviceWatch = Start(
            "services",
            ApiWatchSource<ApiService>.Of(session.Connect, new ClusterOperation("list", "services"), ApiPaths.All("services"), ApiJson.Default.ApiListApiService, ApiJson.Default.ApiService, timeoutSeconds),
            (items, initial) => ApplyServiceListAsync(items, initial, spaces, services),
            (kind, service) => ApplyServiceEventAsync(kind, service, spaces, services),
            healthy);
        await Task.WhenAll(namespaceWatch.Completion, serviceWatch.Completion).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private ClusterConnection? TryConnect()
    {
        try
        {
            return session.Connect();
        }
        catch (DevSpacesException)
        {
            return null;
        }
    }

    /// <summary>One kind: reports the connection established once every kind is listed, and failed while one fails.</summary>
    private ListWatch<T> Start<T>(
        string what,
        IWatchSource<T> source,
        Func<IReadOnlyList<T>, bool, Task> onList,
        Func<WatchEventKind, T, Task> onEvent,
        ConcurrentDictionary<string, bool> healthy)
    {
        var initial = true;
        return ListWatch<T>.Start(
            what,
            source,
            new WatchHandlers<T>(
                async (items, ct) =>
                {
                    await onList(items, initial).ConfigureAwait(false);
                    initial = false;
                    healthy[what] = true;
                    if (healthy.Count == WatchedKinds && healthy.Values.All(h => h))
                    {
                        await ReportAsync(await ClusterProbe.ProbeAsync(session, ct).ConfigureAwait(false)).ConfigureAwait(false);
                    }
                },
                (kind, item, _) => onEvent(kind, item),
                async (failure, retryIn, ct) =>
                {
                    var error = failure as DevSpacesException ?? TranslateWatchFailure(failure, what);
                    if (error.ErrorCode == RpcErrorCode.Forbidden)
                    {
                        // A user whose rights end at their namespaces may not watch cluster-wide: the connection is
                        // fine, only these change notifications are missing (space/list and service/list still answer).
                        if (forbidden.TryAdd(what, true))
                        {
                            session.Log.Info($"watch {what}: not allowed for this user, so {what} changes are not followed ({error.Message})");
                        }

                        healthy[what] = true;
                        if (healthy.Count == WatchedKinds && healthy.Values.All(h => h))
                        {
                            await ReportAsync(await ClusterProbe.ProbeAsync(session, ct).ConfigureAwait(false)).ConfigureAwait(false);
                        }

                        return;
                    }

                    healthy[what] = false;
                    session.Log.Warn($"watch {what} failed, retrying in {retryIn.TotalSeconds:0.#} s: {error.Message} {error.Detail}");
                    var connection = TryConnect();
                    await ReportAsync(new ConnectionStatus(ConnectionState.Failed, connection?.Context, connection?.Target.Server, null, error.ToErrorInfo())).ConfigureAwait(false);
                }),
            session.Log,
            Backoff);
    }

    private DevSpacesException TranslateWatchFailure(Exception error, string what)
    {
        var connection = TryConnect();
        var target = connection?.Target ?? new ClusterTarget(session.State.Context ?? "?", null, null);
        return KubernetesFailures.Translate(error, new ClusterOperation("watch", what), target);
    }

    private async Task ApplyNamespaceListAsync(IReadOnlyList<ApiNamespace> items, bool initial, ConcurrentDictionary<string, SpaceRecord> spaces)
    {
        var now = items.Select(SpaceRecord.From).OfType<SpaceRecord>().ToDictionary(s => s.Name);
        foreach (var gone in spaces.Keys.Except(now.Keys).ToList())
        {
            spaces.TryRemove(gone, out var old);
            if (!initial)
            {
                await SpaceGoneAsync(old!).ConfigureAwait(false);
            }
        }

        foreach (var space in now.Values)
        {
            var had = spaces.TryGetValue(space.Name, out var old);
            spaces[space.Name] = space;
            if (!initial && (!had || old != space))
            {
                await NotifySpaceAsync(had ? ChangeKind.Modified : ChangeKind.Added, space).ConfigureAwait(false);
            }
        }
    }

    private async Task ApplyNamespaceEventAsync(WatchEventKind kind, ApiNamespace ns, ConcurrentDictionary<string, SpaceRecord> spaces)
    {
        var name = ns.Metadata.Name;
        var space = kind == WatchEventKind.Deleted ? null : SpaceRecord.From(ns);
        var had = spaces.TryGetValue(name, out var old);
        if (space == null)
        {
            // Deleted, or the label was removed: either way it is no longer a space.
            if (had && spaces.TryRemove(name, out _))
            {
                await SpaceGoneAsync(old!).ConfigureAwait(false);
            }

            return;
        }

        spaces[name] = space;
        if (!had || old != space)
        {
            await NotifySpaceAsync(had ? ChangeKind.Modified : ChangeKind.Added, space).ConfigureAwait(false);
        }
    }

    private async Task SpaceGoneAsync(SpaceRecord space)
    {
        await NotifySpaceAsync(ChangeKind.Deleted, space).ConfigureAwait(false);
        if (session.State.Space == space.Name)
        {
            await session.SelectSpaceAsync(null, $"The selected space '{space.Name}' was deleted; no space is selected.").ConfigureAwait(false);
        }
    }

    private Task NotifySpaceAsync(ChangeKind kind, SpaceRecord space)
    {
        session.Log.Debug($"space {kind}: {space.Name}");
        return session.Notifier.NotifyAsync(RpcNotifications.SpaceChanged, new SpaceChange(kind, space.Name, space.Parent, space.Phase));
    }

    private async Task ApplyServiceListAsync(IReadOnlyList<ApiService> items, bool initial, ConcurrentDictionary<string, SpaceRecord> spaces, ConcurrentDictionary<string, bool> services)
    {
        var now = items.Select(Key).ToHashSet();
        foreach (var gone in services.Keys.Except(now).ToList())
        {
            services.TryRemove(gone, out _);
            if (!initial)
            {
                await NotifyServiceAsync(ChangeKind.Deleted, gone, spaces).ConfigureAwait(false);
            }
        }

        foreach (var key in now)
        {
            if (services.TryAdd(key, true) && !initial)
            {
                await NotifyServiceAsync(ChangeKind.Added, key, spaces).ConfigureAwait(false);
            }
        }
    }

    private async Task ApplyServiceEventAsync(WatchEventKind change, ApiService service, ConcurrentDictionary<string, SpaceRecord> spaces, ConcurrentDictionary<string, bool> services)
    {
        var key = Key(service);
        var kind = change switch
        {
            WatchEventKind.Deleted => ChangeKind.Deleted,
            _ when services.ContainsKey(key) => ChangeKind.Modified,
            _ => ChangeKind.Added,
        };
        if (kind == ChangeKind.Deleted)
        {
            services.TryRemove(key, out _);
        }
        else
        {
            services[key] = true;
        }

        await NotifyServiceAsync(kind, key, spaces).ConfigureAwait(false);
    }

    private Task NotifyServiceAsync(ChangeKind kind, string key, ConcurrentDictionary<string, SpaceRecord> spaces)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var (space, name) = (key[..slash], key[(slash + 1)..]);
        if (!spaces.ContainsKey(space))
        {
            return Task.CompletedTask;
        }

        session.Log.Debug($"service {kind}: {space}/{name}");
        return session.Notifier.NotifyAsync(RpcNotifications.ServiceChanged, new ServiceChange(kind, space, name));
    }

    private static string Key(ApiService service) => $"{service.Metadata.Namespace}/{service.Metadata.Name}";

    private async Task ReportAsync(ConnectionStatus status)
    {
        await reportGate.WaitAsync().ConfigureAwait(false);
        try
        {
            var key = (status.State, status.Error?.Code);
            if (lastReported == key)
            {
                return;
            }

            lastReported = key;
            session.Log.Info($"connection {status.State.ToString().ToLowerInvariant()}: context '{status.Context}' {status.Server} {status.ServerVersion}{(status.Error == null ? "" : " - " + status.Error.Message)}");
            await session.Notifier.NotifyAsync(RpcNotifications.ConnectionStatus, status).ConfigureAwait(false);
        }
        finally
        {
            reportGate.Release();
        }
    }
}
