using System.Net;
using DevSpaces.Core.Logging;
using DevSpaces.Core.Routing;
using DevSpaces.Core.Watch;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace DevSpaces.Router;

/// <summary>
/// Follows the cluster for the router, each with <see cref="ListWatch{T}"/>: the routing ConfigMap of the root
/// (its space tree, kept by the daemon as child spaces come and go) and the Services of the root and of every
/// space in that tree (readable through the Role the daemon grants in each child). <see cref="Current"/> is the
/// route table of what was last seen; it is replaced whole on every change, so a request reads one snapshot.
/// </summary>
public sealed class ClusterRoutes(IKubernetes client, RouterConfig config, ILog log) : IAsyncDisposable
{
    private const int WatchSeconds = 300;
    private readonly Lock gate = new();
    private readonly SemaphoreSlim treeChange = new(1, 1);
    private readonly Dictionary<string, ListWatch<V1Service>> serviceWatches = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyDictionary<string, RouteTarget>> services = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource spacesListed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource rootListed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly HashSet<string> unlisted = new(StringComparer.Ordinal);
    private IReadOnlyList<RoutedSpace> spaces = [];
    private bool ready;
    private ListWatch<V1ConfigMap>? configWatch;
    private bool disposed;

    /// <summary>The routes now.</summary>
    public RouteTable Current { get; private set; } = new(config.Root, [], new Dictionary<string, IReadOnlyDictionary<string, RouteTarget>>());

    /// <summary>
    /// True once the space tree and the Services of every space in it were read (or found unreadable): only then does
    /// the router take requests, so a request for a child never meets a table that does not know the child yet.
    /// </summary>
    public bool Ready
    {
        get
        {
            lock (gate)
            {
                return ready |= spacesListed.Task.IsCompleted && rootListed.Task.IsCompleted && unlisted.Count == 0;
            }
        }
    }

    public void Start()
    {
        var byName = $"metadata.name={RoutingNames.ConfigMap}";
        configWatch = ListWatch<V1ConfigMap>.Start(
            $"configmap {RoutingNames.ConfigMap}",
            new KubernetesWatchSource<V1ConfigMap>(
                async ct =>
                {
                    var list = await client.CoreV1.ListNamespacedConfigMapAsync(config.Root, fieldSelector: byName, cancellationToken: ct).ConfigureAwait(false);
                    return (list.Items.ToList(), list.Metadata.ResourceVersion);
                },
                (rv, onError, ct) => client.CoreV1.WatchListNamespacedConfigMapAsync(
                    config.Root, fieldSelector: byName, resourceVersion: rv, allowWatchBookmarks: true, timeoutSeconds: WatchSeconds, onError: onError, cancellationToken: ct)),
            new WatchHandlers<V1ConfigMap>(
                (items, ct) => SpacesChangedAsync(items.FirstOrDefault(), ct),
                (type, map, ct) => SpacesChangedAsync(type == WatchEventKind.Deleted ? null : map, ct),
                (failure, retryIn, _) =>
                {
                    log.Warn($"reading configmap {RoutingNames.ConfigMap} failed, again in {retryIn.TotalSeconds:0.#} s: {failure.Message}");
                    return Task.CompletedTask;
                }),
            log);
    }

    private async Task SpacesChangedAsync(V1ConfigMap? map, CancellationToken cancellationToken)
    {
        IReadOnlyList<RoutedSpace> read;
        try
        {
            read = RouterConfig.SpacesFromJson(map?.Data?.TryGetValue(RoutingNames.SpacesKey, out var json) == true ? json : null);
        }
        catch (System.Text.Json.JsonException e)
        {
            log.Warn($"configmap {RoutingNames.ConfigMap} holds no readable space tree ({e.Message}); routing to child spaces is off until it does");
            read = [];
        }

        await treeChange.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var tree = new RouteTable(config.Root, read, new Dictionary<string, IReadOnlyDictionary<string, RouteTarget>>());
            var wanted = tree.Spaces.ToHashSet(StringComparer.Ordinal);
            List<(string Name, ListWatch<V1Service> Watch)> gone;
            lock (gate)
            {
                if (disposed)
                {
                    return;
                }

                spaces = read;
                gone = serviceWatches.Where(w => !wanted.Contains(w.Key)).Select(w => (w.Key, w.Value)).ToList();
                foreach (var (name, _) in gone)
                {
                    serviceWatches.Remove(name);
                    services.Remove(name);
                    unlisted.Remove(name);
                }

                foreach (var name in wanted.Where(n => !serviceWatches.ContainsKey(n)).ToList())
                {
                    unlisted.Add(name);
                    serviceWatches[name] = WatchServices(name);
                }

                Rebuild();
            }

            foreach (var (name, watch) in gone)
            {
                await watch.DisposeAsync().ConfigureAwait(false);
                log.Info($"space '{name}' left the tree; its services are no longer routed to");
            }
        }
        finally
        {
            treeChange.Release();
        }

        spacesListed.TrySetResult();
    }

    private ListWatch<V1Service> WatchServices(string ns) => ListWatch<V1Service>.Start(
        $"services of {ns}",
        new KubernetesWatchSource<V1Service>(
            async ct =>
            {
                var list = await client.CoreV1.ListNamespacedServiceAsync(ns, cancellationToken: ct).ConfigureAwait(false);
                return (list.Items.ToList(), list.Metadata.ResourceVersion);
            },
            (rv, onError, ct) => client.CoreV1.WatchListNamespacedServiceAsync(
                ns, resourceVersion: rv, allowWatchBookmarks: true, timeoutSeconds: WatchSeconds, onError: onError, cancellationToken: ct)),
        new WatchHandlers<V1Service>(
            (items, _) =>
            {
                SetServices(ns, items.Select(RouteTarget.From).OfType<RouteTarget>().ToDictionary(s => s.Name, StringComparer.Ordinal));
                if (ns == config.Root)
                {
                    rootListed.TrySetResult();
                }

                return Task.CompletedTask;
            },
            (type, service, _) =>
            {
                lock (gate)
                {
                    if (!services.TryGetValue(ns, out var held))
                    {
                        return Task.CompletedTask;
                    }

                    var changed = new Dictionary<string, RouteTarget>(held, StringComparer.Ordinal);
                    changed.Remove(service.Metadata.Name);
                    if (type != WatchEventKind.Deleted && RouteTarget.From(service) is { } target)
                    {
                        changed[target.Name] = target;
                    }

                    services[ns] = changed;
                    Rebuild();
                }

                return Task.CompletedTask;
            },
            (failure, retryIn, _) =>
            {
                // A space deleted, or a Role not (yet) granted: that space holds nothing until it is readable again.
                if (failure is HttpOperationException { Response.StatusCode: HttpStatusCode.Forbidden or HttpStatusCode.NotFound })
                {
                    SetServices(ns, new Dictionary<string, RouteTarget>());
                }
                else
                {
                    lock (gate)
                    {
                        unlisted.Remove(ns);
                    }
                }

                log.Warn($"reading the services of {ns} failed, again in {retryIn.TotalSeconds:0.#} s: {failure.Message}");
                return Task.CompletedTask;
            }),
        log);

    private void SetServices(string ns, Dictionary<string, RouteTarget> held)
    {
        lock (gate)
        {
            if (serviceWatches.ContainsKey(ns))
            {
                services[ns] = held;
                unlisted.Remove(ns);
                Rebuild();
            }
        }
    }

    private void Rebuild() => Current = new RouteTable(config.Root, spaces, new Dictionary<string, IReadOnlyDictionary<string, RouteTarget>>(services, StringComparer.Ordinal));

    public async ValueTask DisposeAsync()
    {
        List<ListWatch<V1Service>> watches;
        lock (gate)
        {
            disposed = true;
            watches = [.. serviceWatches.Values];
            serviceWatches.Clear();
        }

        if (configWatch is not null)
        {
            await configWatch.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var watch in watches)
        {
            await watch.DisposeAsync().ConfigureAwait(false);
        }

        treeChange.Dispose();
    }
}
