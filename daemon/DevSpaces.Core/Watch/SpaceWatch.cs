using System.Collections.Concurrent;
using DevSpaces.Contracts;
using DevSpaces.Core.Cluster;
using DevSpaces.Core.Errors;
using DevSpaces.Core.Lifetime;
using DevSpaces.Core.Logging;
using DevSpaces.Core.Spaces;
using DevSpaces.Core.Workspace;
using k8s;
using k8s.Models;

namespace DevSpaces.Core.Watch;

/// <summary>
/// Watches the namespaces and services of the workspace's cluster and tells the client about spaces and
/// services that appear, change or go (whoever changed them). Each watch lists once, then streams from
/// that resourceVersion; when the stream ends it resumes, when the version is too old (410) it lists again,
/// and on errors it retries with back-off while reporting <c>connection/status</c> failed. The
/// <c>connected</c> status is reported once both watches are established.
/// </summary>
public sealed class SpaceWatch(WorkspaceSession session, TimeSpan? serverTimeout = null) : IAsyncDisposable
{
    /// <summary>How long the API server keeps one watch stream open before the loop resumes it.</summary>
    public static readonly TimeSpan DefaultServerTimeout = TimeSpan.FromMinutes(10);
    private readonly int timeoutSeconds = (int)Math.Max(1, (serverTimeout ?? DefaultServerTimeout).TotalSeconds);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    /// <summary>Namespaces and services: both must be listed before the connection counts as established.</summary>
    private const int WatchedKinds = 2;

    /// <summary>A stream that breaks sooner than this without delivering anything counts as a failed request.</summary>
    private static readonly TimeSpan StreamCutTolerance = TimeSpan.FromMilliseconds(500);
    private readonly Lock gate = new();
    private readonly SemaphoreSlim reportGate = new(1, 1);
    private CancellationTokenSource? stop;
    private Task? running;
    private (ConnectionState State, int? Code)? lastReported;

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
        var namespaceLoop = LoopAsync<V1Namespace>(
            "namespaces",
            async (c, ct) =>
            {
                var list = await c.CallAsync(new ClusterOperation("list", "namespaces"), (k, t) => k.CoreV1.ListNamespaceAsync(cancellationToken: t), ct).ConfigureAwait(false);
                return (list.Items, list.Metadata.ResourceVersion);
            },
            (k, rv, onError, ct) => k.CoreV1.WatchListNamespaceAsync(resourceVersion: rv, allowWatchBookmarks: true, timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: ct),
            (items, initial) => ApplyNamespaceListAsync(items, initial, spaces),
            (type, ns) => ApplyNamespaceEventAsync(type, ns, spaces),
            healthy,
            cancellationToken);
        var serviceLoop = LoopAsync<V1Service>(
            "services",
            async (c, ct) =>
            {
                var list = await c.CallAsync(new ClusterOperation("list", "services"), (k, t) => k.CoreV1.ListServiceForAllNamespacesAsync(cancellationToken: t), ct).ConfigureAwait(false);
                return (list.Items, list.Metadata.ResourceVersion);
            },
            (k, rv, onError, ct) => k.CoreV1.WatchListServiceForAllNamespacesAsync(resourceVersion: rv, allowWatchBookmarks: true, timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: ct),
            (items, initial) => ApplyServiceListAsync(items, initial, spaces, services),
            (type, service) => ApplyServiceEventAsync(type, service, spaces, services),
            healthy,
            cancellationToken);
        await Task.WhenAll(namespaceLoop, serviceLoop).ConfigureAwait(false);
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

    private async Task LoopAsync<T>(
        string what,
        Func<ClusterConnection, CancellationToken, Task<(IList<T> Items, string ResourceVersion)>> list,
        Func<IKubernetes, string, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType, T)>> watch,
        Func<IList<T>, bool, Task> onList,
        Func<WatchEventType, T, Task> onEvent,
        ConcurrentDictionary<string, bool> healthy,
        CancellationToken cancellationToken)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        string? resourceVersion = null;
        var initial = true;
        var backoff = TimeSpan.FromSeconds(1);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var connection = session.Connect();
                if (resourceVersion == null)
                {
                    var (items, version) = await list(connection, cancellationToken).ConfigureAwait(false);
                    await onList(items, initial).ConfigureAwait(false);
                    initial = false;
                    resourceVersion = version;
                    healthy[what] = true;
                    session.Log.Debug($"watch {what}: listed {items.Count} at resourceVersion {version}");
                    if (healthy.Count == WatchedKinds && healthy.Values.All(h => h))
                    {
                        await ReportAsync(await ClusterProbe.ProbeAsync(session, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
                    }
                }

                Exception? streamError = null;
                var opened = DateTimeOffset.UtcNow;
                var received = 0;
                try
                {
                    await foreach (var (type, item) in watch(connection.Client, resourceVersion, e => streamError ??= e, cancellationToken).ConfigureAwait(false))
                    {
                        received++;
                        resourceVersion = item.Metadata?.ResourceVersion ?? resourceVersion;
                        if (type != WatchEventType.Bookmark)
                        {
                            await onEvent(type, item).ConfigureAwait(false);
                        }
                    }
                }
                catch (KubernetesException ex) when (ex.Status?.Code == 410)
                {
                    streamError = ex;
                }
                catch (Exception ex) when (ex is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested
                                               && (received > 0 || DateTimeOffset.UtcNow - opened >= StreamCutTolerance))
                {
                    // The API server ends watch responses by closing the stream; an established stream that breaks
                    // is resumed from the last version like one that ended. A new request that fails is a failure.
                    session.Log.Debug($"watch {what}: stream ended ({ex.Message}), resuming at resourceVersion {resourceVersion}");
                    continue;
                }

                if (streamError is KubernetesException { Status.Code: 410 })
                {
                    // The version is too old to resume from: list again and report the difference.
                    session.Log.Debug($"watch {what}: resourceVersion expired, listing again");
                    resourceVersion = null;
                }
                else if (streamError != null)
                {
                    throw streamError;
                }
                else
                {
                    session.Log.Debug($"watch {what}: stream ended, resuming at resourceVersion {resourceVersion}");
                }

                backoff = TimeSpan.FromSeconds(1);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                healthy[what] = false;
                resourceVersion = null;
                var error = ex as DevSpacesException ?? TranslateWatchFailure(ex, what);
                session.Log.Warn($"watch {what} failed, retrying in {backoff.TotalSeconds:0} s: {error.Message} {error.Detail}");
                var connection = TryConnect();
                await ReportAsync(new ConnectionStatus(ConnectionState.Failed, connection?.Context, connection?.Target.Server, null, error.ToErrorInfo())).ConfigureAwait(false);
                try
                {
                    await Task.Delay(backoff, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    private DevSpacesException TranslateWatchFailure(Exception error, string what)
    {
        var connection = TryConnect();
        var target = connection?.Target ?? new ClusterTarget(session.State.Context ?? "?", null, null);
        return KubernetesFailures.Translate(error, new ClusterOperation("watch", what), target);
    }

    private async Task ApplyNamespaceListAsync(IList<V1Namespace> items, bool initial, ConcurrentDictionary<string, SpaceRecord> spaces)
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

    private async Task ApplyNamespaceEventAsync(WatchEventType type, V1Namespace ns, ConcurrentDictionary<string, SpaceRecord> spaces)
    {
        var name = ns.Metadata.Name;
        var space = type == WatchEventType.Deleted ? null : SpaceRecord.From(ns);
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

    private async Task ApplyServiceListAsync(IList<V1Service> items, bool initial, ConcurrentDictionary<string, SpaceRecord> spaces, ConcurrentDictionary<string, bool> services)
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

    private async Task ApplyServiceEventAsync(WatchEventType type, V1Service service, ConcurrentDictionary<string, SpaceRecord> spaces, ConcurrentDictionary<string, bool> services)
    {
        var key = Key(service);
        var kind = type switch
        {
            WatchEventType.Deleted => ChangeKind.Deleted,
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

    private static string Key(V1Service service) => $"{service.Metadata.NamespaceProperty}/{service.Metadata.Name}";

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
