using System.Net.Http.Json;
using System.Text.Json;
using DevSpaces.Contracts;
using DevSpaces.Core.Cluster;
using DevSpaces.Core.Cluster.Api;
using DevSpaces.Core.Connect;
using DevSpaces.Core.Errors;
using DevSpaces.Core.Logging;
using DevSpaces.Core.PortForwarding;
using DevSpaces.Core.Spaces;
using DevSpaces.Core.Workspace;
using k8s;
using k8s.Models;

namespace DevSpaces.Core.Routing;

/// <summary>
/// Routing of a root space: puts the router in front of its HTTP Services (make before break: the router is ready
/// before any Service points at it), keeps the router's space tree and rights in the child spaces, removes it all
/// again restoring every Service's spec exactly, and reads the router's traces through a port forward.
/// </summary>
/// <param name="imageFor">The router image pipeline for one cluster.</param>
public sealed class RoutingService(WorkspaceSession session, Func<ClusterConnection, RouterImage> imageFor, RouterSettings settings) : IRoutingRpc, ISpaceTreeRouting
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private ILog Log => session.Log;

    public async Task<RoutingInfo> EnableRoutingAsync(string space, string? host = null, string? entry = null, CancellationToken cancellationToken = default)
    {
        var cluster = session.Connect();
        await ReadRootAsync(cluster, space, cancellationToken).ConfigureAwait(false);
        var services = await ListServicesAsync(cluster, space, null, cancellationToken).ConfigureAwait(false);
        var plan = RoutePlanner.Plan(space, services, host, entry);
        var spaces = await DescendantsAsync(cluster, space, cancellationToken).ConfigureAwait(false);
        var image = await imageFor(cluster).EnsureAsync(space, null, cancellationToken).ConfigureAwait(false);

        await ServerSideApply.ApplyAsync(cluster, space, RouterManifests.ServiceAccount(), cancellationToken).ConfigureAwait(false);
        await ServerSideApply.ApplyAsync(cluster, space, RouterManifests.RootRole(), cancellationToken).ConfigureAwait(false);
        await ServerSideApply.ApplyAsync(cluster, space, RouterManifests.Binding(RoutingNames.Router, space, "router"), cancellationToken).ConfigureAwait(false);
        foreach (var child in spaces)
        {
            await GrantAsync(cluster, space, child.Name, cancellationToken).ConfigureAwait(false);
        }

        await ServerSideApply.ApplyAsync(cluster, space, RouterManifests.ConfigMap(plan.Config, spaces), cancellationToken).ConfigureAwait(false);
        foreach (var (service, original) in plan.Fronted)
        {
            await ServerSideApply.ApplyAsync(cluster, space, RouterManifests.Baseline(service.Metadata.Name, original), cancellationToken).ConfigureAwait(false);
        }

        await ServerSideApply.ApplyAsync(cluster, space, RouterManifests.Deployment(plan.Config, image.Reference), cancellationToken).ConfigureAwait(false);
        await ServerSideApply.ApplyAsync(cluster, space, RouterManifests.EntryService(), cancellationToken).ConfigureAwait(false);
        await WaitReadyAsync(cluster, space, cancellationToken).ConfigureAwait(false);

        foreach (var (service, original) in plan.Fronted)
        {
            await FrontAsync(cluster, space, service, original, plan.Config, cancellationToken).ConfigureAwait(false);
        }

        await WaitFrontedAsync(cluster, space, plan, cancellationToken).ConfigureAwait(false);
        foreach (var skipped in plan.Skipped)
        {
            Log.Info($"routing {space}: not fronted: {skipped}");
        }

        Log.Info($"routing enabled on {space}: {string.Join(", ", plan.Fronted.Select(f => f.Service.Metadata.Name))}");
        var nodePort = await EntryNodePortAsync(cluster, space, cancellationToken).ConfigureAwait(false);
        return new RoutingInfo(
            space,
            plan.Fronted.Select(f => f.Service.Metadata.Name).ToList(),
            plan.Config.EntryService,
            new[] { space }.Concat(spaces.Select(s => s.Name)).Select(s => new SpaceUrl(s, UrlOf(plan.Config, s, nodePort))).ToList());
    }

    public async Task<RoutingDisabled> DisableRoutingAsync(string space, CancellationToken cancellationToken = default)
    {
        var cluster = session.Connect();
        await ReadRootAsync(cluster, space, cancellationToken).ConfigureAwait(false);
        var map = await ReadConfigMapAsync(cluster, space, cancellationToken).ConfigureAwait(false);
        var services = await ListServicesAsync(cluster, space, null, cancellationToken).ConfigureAwait(false);
        var fronted = services.Where(s => RoutePlanner.OriginalSpec(s) is not null).ToList();
        if (map is null && fronted.Count == 0 && !services.Any(s => s.Metadata.Name == RoutingNames.Router))
        {
            throw new DevSpacesException(RpcErrorCode.RoutingNotEnabled, $"Routing is not enabled on '{space}'.", $"Enable it with 'devspaces routing enable --space {space}'.");
        }

        // Services first: once they select their own pods again, the router is out of every path.
        var restored = new List<string>();
        foreach (var service in fronted)
        {
            await RestoreAsync(cluster, space, service, cancellationToken).ConfigureAwait(false);
            restored.Add(service.Metadata.Name);
        }

        // The router keeps serving until its pods are gone (the node's proxy rules follow the Services a moment
        // later); only then do the baseline Services it sends to go.
        await WaitRestoredAsync(cluster, space, restored, cancellationToken).ConfigureAwait(false);
        await DeleteAsync(cluster, "deployments", space, RoutingNames.Router, (c, ct) => c.AppsV1.DeleteNamespacedDeploymentAsync(RoutingNames.Router, space, propagationPolicy: "Background", cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        await WaitRouterGoneAsync(cluster, space, cancellationToken).ConfigureAwait(false);
        foreach (var child in SpacesOf(map))
        {
            await RevokeAsync(cluster, child.Name, cancellationToken).ConfigureAwait(false);
        }

        foreach (var baseline in services.Where(s => s.Metadata.Labels?.TryGetValue(RoutingNames.PartLabel, out var part) == true && part == "baseline"))
        {
            await DeleteAsync(cluster, "services", space, baseline.Metadata.Name, (c, ct) => DeleteServiceAsync(c, baseline.Metadata.Name, space, ct), cancellationToken).ConfigureAwait(false);
        }

        await DeleteAsync(cluster, "services", space, RoutingNames.Router, (c, ct) => DeleteServiceAsync(c, RoutingNames.Router, space, ct), cancellationToken).ConfigureAwait(false);
        await DeleteAsync(cluster, "configmaps", space, RoutingNames.ConfigMap, (c, ct) => c.CoreV1.DeleteNamespacedConfigMapAsync(RoutingNames.ConfigMap, space, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        await DeleteAsync(cluster, "rolebindings", space, RoutingNames.Router, (c, ct) => c.RbacAuthorizationV1.DeleteNamespacedRoleBindingAsync(RoutingNames.Router, space, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        await DeleteAsync(cluster, "roles", space, RoutingNames.Router, (c, ct) => c.RbacAuthorizationV1.DeleteNamespacedRoleAsync(RoutingNames.Router, space, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        await DeleteAsync(cluster, "serviceaccounts", space, RoutingNames.Router, (c, ct) => c.CoreV1.DeleteNamespacedServiceAccountAsync(RoutingNames.Router, space, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        Log.Info($"routing disabled on {space}; restored {string.Join(", ", restored)}");
        return new RoutingDisabled(space, restored);
    }

    public async Task<TraceBatch> GetTracesAsync(string space, long after = 0, int waitSeconds = 0, string? forSpace = null, CancellationToken cancellationToken = default)
    {
        var cluster = session.Connect();
        var root = await RootOfAsync(cluster, space, cancellationToken).ConfigureAwait(false);
        var pods = await cluster.CallAsync(
            new ClusterOperation("list", "pods", Namespace: root),
            (c, ct) => c.CoreV1.ListNamespacedPodAsync(root, labelSelector: $"{RoutingNames.RouterLabel}=true", cancellationToken: ct),
            cancellationToken).ConfigureAwait(false);
        var pod = pods.Items.Where(PodReadiness.IsReady).OrderByDescending(p => p.Metadata.CreationTimestamp).FirstOrDefault()
            ?? throw new DevSpacesException(RpcErrorCode.RoutingNotEnabled, $"No router is running in root space '{root}'.", $"Enable routing with 'devspaces routing enable --space {root}'.");
        var connector = new WebSocketPodPortConnector(cluster.Client);
        using var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            ConnectCallback = async (_, ct) => new PodPortStream(await connector.ConnectAsync(root, pod.Metadata.Name, RoutingNames.AdminPort, ct).ConfigureAwait(false)),
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(Math.Clamp(waitSeconds, 0, 30) + 20) };
        List<HttpTrace> traces;
        try
        {
            traces = await http.GetFromJsonAsync<List<HttpTrace>>($"http://router/traces?after={after}&wait={Math.Clamp(waitSeconds, 0, 30)}", Json, cancellationToken).ConfigureAwait(false) ?? [];
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new DevSpacesException(RpcErrorCode.RoutingFailed, $"Could not read the traces of the router in '{root}': {e.Message}", "Check that port-forward works against this cluster (the traces are read through one).");
        }

        var next = traces.Count > 0 ? traces.Max(t => t.Sequence) : after;
        var shown = forSpace is null ? traces : traces.Where(t => t.Space == forSpace || t.ServedBy == forSpace || t.Asked == forSpace).ToList();
        return new TraceBatch(shown, next);
    }

    /// <summary>
    /// A child space was created under <paramref name="parent"/>: when its root is routed, the router may read its
    /// Services and learns it in its space tree. Nothing to do when the root is not routed.
    /// </summary>
    public async Task ChildCreatedAsync(string name, string parent, CancellationToken cancellationToken)
    {
        var cluster = session.Connect();
        var root = await RootOfAsync(cluster, parent, cancellationToken).ConfigureAwait(false);
        var map = await ReadConfigMapForUpdateAsync(cluster, root, cancellationToken).ConfigureAwait(false);
        if (map is null)
        {
            return;
        }

        await GrantAsync(cluster, root, name, cancellationToken).ConfigureAwait(false);
        var spaces = SpacesOf(map).Where(s => s.Name != name).Append(new RoutedSpace(name, parent));
        await WriteSpacesAsync(cluster, root, map, spaces, cancellationToken).ConfigureAwait(false);
        Log.Info($"routing {root}: the router routes to the new space '{name}'");
    }

    /// <summary>Spaces of the tree under <paramref name="root"/> were deleted: the router forgets them.</summary>
    public async Task ChildrenDeletedAsync(string root, IReadOnlyCollection<string> deleted, CancellationToken cancellationToken)
    {
        var cluster = session.Connect();
        var map = await ReadConfigMapForUpdateAsync(cluster, root, cancellationToken).ConfigureAwait(false);
        if (map is not null)
        {
            await WriteSpacesAsync(cluster, root, map, SpacesOf(map).Where(s => !deleted.Contains(s.Name)), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The root space of <paramref name="space"/>, following the parent labels.</summary>
    public async Task<string> RootOfAsync(ClusterConnection cluster, string space, CancellationToken cancellationToken)
    {
        SpaceName.Validate(space);
        var current = space;
        for (var depth = 0; depth < 64; depth++)
        {
            var ns = await ReadSpaceAsync(cluster, current, cancellationToken).ConfigureAwait(false);
            var parent = SpaceRecord.From(ns)!.Parent;
            if (parent is null)
            {
                return current;
            }

            current = parent;
        }

        throw new DevSpacesException(RpcErrorCode.NotASpace, $"The parents of space '{space}' form a cycle.", "Fix the devspaces.io/parent labels of its namespaces.");
    }

    /// <summary>The URL of each space of the routed tree under <paramref name="root"/>, or null when it is not routed (or not readable).</summary>
    public async Task<IReadOnlyDictionary<string, string>?> UrlsAsync(string root, CancellationToken cancellationToken)
    {
        var cluster = session.Connect();
        ApiConfigMap? map;
        try
        {
            map = await ReadConfigMapAsync(cluster, root, cancellationToken).ConfigureAwait(false);
        }
        catch (DevSpacesException e) when (e.ErrorCode == RpcErrorCode.Forbidden)
        {
            return null;
        }

        if (map?.Data?.TryGetValue(RoutingNames.RoutesKey, out var json) != true)
        {
            return null;
        }

        var config = RouterConfig.FromJson(json!);
        var nodePort = await EntryNodePortAsync(cluster, root, cancellationToken).ConfigureAwait(false);
        return new[] { root }.Concat(SpacesOf(map).Select(s => s.Name)).Distinct().ToDictionary(s => s, s => UrlOf(config, s, nodePort));
    }

    private static string UrlOf(RouterConfig config, string space, int? nodePort) =>
        config.UrlOf(space, config.RootHost.EndsWith(".localhost", StringComparison.Ordinal) || config.RootHost == "localhost" ? nodePort : null);

    private async Task<ApiNamespace> ReadRootAsync(ClusterConnection cluster, string space, CancellationToken cancellationToken)
    {
        SpaceName.Validate(space);
        var ns = await ReadSpaceAsync(cluster, space, cancellationToken).ConfigureAwait(false);
        if (SpaceRecord.From(ns)!.Parent is { } parent)
        {
            var root = await RootOfAsync(cluster, parent, cancellationToken).ConfigureAwait(false);
            throw new DevSpacesException(
                RpcErrorCode.NotARootSpace,
                $"Space '{space}' is a child space (of '{parent}'); routing belongs to its root space '{root}'.",
                $"Enable routing on the root: 'devspaces routing enable --space {root}'; its child spaces are routed with it.");
        }

        return ns;
    }

    private static async Task<ApiNamespace> ReadSpaceAsync(ClusterConnection cluster, string space, CancellationToken cancellationToken)
    {
        var ns = await new ClusterNamespaces(cluster).ReadAsync(space, cancellationToken).ConfigureAwait(false)
            ?? throw new DevSpacesException(RpcErrorCode.SpaceNotFound, $"Space '{space}' does not exist in context '{cluster.Context}'.", "List the spaces with 'devspaces space list'.");
        return SpaceRecord.IsSpace(ns) ? ns : throw new DevSpacesException(
            RpcErrorCode.NotASpace,
            $"Namespace '{space}' is not a space.",
            $"Make it a root space with 'devspaces space create {space}'.");
    }

    private static async Task<IReadOnlyList<V1Service>> ListServicesAsync(ClusterConnection cluster, string ns, string? labelSelector, CancellationToken cancellationToken)
    {
        var list = await cluster.CallAsync(
            new ClusterOperation("list", "services", Namespace: ns),
            (c, ct) => c.CoreV1.ListNamespacedServiceAsync(ns, labelSelector: labelSelector, cancellationToken: ct),
            cancellationToken).ConfigureAwait(false);
        return list.Items.ToList();
    }

    /// <summary>The descendants of <paramref name="root"/>; without the right to list namespaces, the ones routing already knew.</summary>
    private async Task<IReadOnlyList<RoutedSpace>> DescendantsAsync(ClusterConnection cluster, string root, CancellationToken cancellationToken)
    {
        IReadOnlyList<SpaceRecord> all;
        try
        {
            all = await new ClusterNamespaces(cluster).ListSpacesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DevSpacesException e) when (e.ErrorCode == RpcErrorCode.Forbidden)
        {
            Log.Info($"routing {root}: listing namespaces is not allowed; keeping the space tree routing already knew");
            return SpacesOf(await ReadConfigMapAsync(cluster, root, cancellationToken).ConfigureAwait(false)).ToList();
        }

        // A space being deleted is no longer routed to (and no Role can be made in it).
        all = all.Where(s => s.Phase != "Terminating").ToList();
        var byName = all.ToDictionary(s => s.Name);
        return SpaceTreeBuilder.DescendantsLeavesFirst(all, root)
            .Select(name => new RoutedSpace(name, byName[name].Parent!))
            .Reverse()
            .ToList();
    }

    private static IEnumerable<RoutedSpace> SpacesOf(ApiConfigMap? map) => SpacesIn(map?.Data?.GetValueOrDefault(RoutingNames.SpacesKey));

    private static IEnumerable<RoutedSpace> SpacesOf(V1ConfigMap map) => SpacesIn(map.Data?.TryGetValue(RoutingNames.SpacesKey, out var json) == true ? json : null);

    private static IEnumerable<RoutedSpace> SpacesIn(string? json)
    {
        try
        {
            return RouterConfig.SpacesFromJson(json);
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static Task<ApiConfigMap?> ReadConfigMapAsync(ClusterConnection cluster, string root, CancellationToken cancellationToken) =>
        cluster.TryReadAsync(
            new ClusterOperation("get", "configmaps", RoutingNames.ConfigMap, root),
            ApiPaths.Namespaced(root, "configmaps", RoutingNames.ConfigMap),
            ApiJson.Default.ApiConfigMap,
            cancellationToken);

    /// <summary>The routing ConfigMap whole, as a change replaces it (the idle reads use <see cref="ReadConfigMapAsync"/>).</summary>
    private static Task<V1ConfigMap?> ReadConfigMapForUpdateAsync(ClusterConnection cluster, string root, CancellationToken cancellationToken) =>
        cluster.TryCallAsync(
            new ClusterOperation("get", "configmaps", RoutingNames.ConfigMap, root),
            (c, ct) => c.CoreV1.ReadNamespacedConfigMapAsync(RoutingNames.ConfigMap, root, cancellationToken: ct),
            cancellationToken);

    private static async Task WriteSpacesAsync(ClusterConnection cluster, string root, V1ConfigMap map, IEnumerable<RoutedSpace> spaces, CancellationToken cancellationToken)
    {
        map.Data ??= new Dictionary<string, string>();
        map.Data[RoutingNames.SpacesKey] = RouterConfig.SpacesToJson(spaces);
        await cluster.CallAsync(
            new ClusterOperation("update", "configmaps", RoutingNames.ConfigMap, root),
            (c, ct) => c.CoreV1.ReplaceNamespacedConfigMapAsync(map, RoutingNames.ConfigMap, root, cancellationToken: ct),
            cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int?> EntryNodePortAsync(ClusterConnection cluster, string root, CancellationToken cancellationToken)
    {
        var service = await cluster.TryReadAsync(
            new ClusterOperation("get", "services", RoutingNames.Router, root),
            ApiPaths.Namespaced(root, "services", RoutingNames.Router),
            ApiJson.Default.ApiService,
            cancellationToken).ConfigureAwait(false);
        return service?.Spec?.Ports?.FirstOrDefault()?.NodePort;
    }

    private static async Task GrantAsync(ClusterConnection cluster, string root, string child, CancellationToken cancellationToken)
    {
        await ServerSideApply.ApplyAsync(cluster, child, RouterManifests.ReaderRole(), cancellationToken).ConfigureAwait(false);
        await ServerSideApply.ApplyAsync(cluster, child, RouterManifests.Binding(RoutingNames.ChildReader, root, "reader"), cancellationToken).ConfigureAwait(false);
    }

    private static async Task RevokeAsync(ClusterConnection cluster, string child, CancellationToken cancellationToken)
    {
        try
        {
            await DeleteAsync(cluster, "rolebindings", child, RoutingNames.ChildReader, (c, ct) => c.RbacAuthorizationV1.DeleteNamespacedRoleBindingAsync(RoutingNames.ChildReader, child, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
            await DeleteAsync(cluster, "roles", child, RoutingNames.ChildReader, (c, ct) => c.RbacAuthorizationV1.DeleteNamespacedRoleAsync(RoutingNames.ChildReader, child, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        }
        catch (DevSpacesException e) when (e.ErrorCode == RpcErrorCode.Forbidden)
        {
            // A child being deleted, or one this user has no rights in: its Role goes with it or stays harmless.
        }
    }

    private static Task DeleteAsync<T>(ClusterConnection cluster, string resource, string ns, string name, Func<IKubernetes, CancellationToken, Task<T>> delete, CancellationToken cancellationToken)
        where T : class =>
        cluster.TryCallAsync(new ClusterOperation("delete", resource, name, ns), delete, cancellationToken);

    /// <summary>Deletes a Service. Kubernetes before 1.22 answers with a Status, which this client cannot read as the Service it expects: the Service is deleted all the same.</summary>
    private static async Task<object> DeleteServiceAsync(IKubernetes client, string name, string ns, CancellationToken cancellationToken)
    {
        try
        {
            await client.CoreV1.DeleteNamespacedServiceAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
        }

        return name;
    }

    /// <summary>Points a Service at the router, its original spec kept in an annotation (written once: re-enabling keeps the first).</summary>
    private static Task FrontAsync(ClusterConnection cluster, string root, V1Service service, V1ServiceSpec original, RouterConfig config, CancellationToken cancellationToken)
    {
        service.Metadata.Annotations ??= new Dictionary<string, string>();
        service.Metadata.Annotations[RoutingNames.OriginalSpecAnnotation] = KubernetesJson.Serialize(original);
        service.Spec = RouterManifests.Fronted(service.Spec, config, service.Metadata.Name);
        return ReplaceServiceAsync(cluster, root, service, cancellationToken);
    }

    private static Task RestoreAsync(ClusterConnection cluster, string root, V1Service service, CancellationToken cancellationToken)
    {
        service.Spec = RoutePlanner.OriginalSpec(service)!;
        service.Metadata.Annotations!.Remove(RoutingNames.OriginalSpecAnnotation);
        return ReplaceServiceAsync(cluster, root, service, cancellationToken);
    }

    private static Task ReplaceServiceAsync(ClusterConnection cluster, string ns, V1Service service, CancellationToken cancellationToken) =>
        cluster.CallAsync(
            new ClusterOperation("update", "services", service.Metadata.Name, ns),
            (c, ct) => c.CoreV1.ReplaceNamespacedServiceAsync(service, service.Metadata.Name, ns, cancellationToken: ct),
            cancellationToken);

    /// <summary>Waits until the restored Services' Endpoints no longer name the router's ports.</summary>
    private Task WaitRestoredAsync(ClusterConnection cluster, string root, IReadOnlyList<string> restored, CancellationToken cancellationToken) =>
        WaitUntilAsync(async () =>
        {
            foreach (var name in restored)
            {
                var endpoints = await cluster.TryCallAsync(
                    new ClusterOperation("get", "endpoints", name, root),
                    (c, ct) => c.CoreV1.ReadNamespacedEndpointsAsync(name, root, cancellationToken: ct),
                    cancellationToken).ConfigureAwait(false);
                if ((endpoints?.Subsets ?? []).Any(s => s.Ports.Any(p => p.Port >= RoutingNames.FirstRoutePort)))
                {
                    return false;
                }
            }

            return true;
        }, "the restored Services' endpoints to leave the router", cancellationToken);

    private Task WaitRouterGoneAsync(ClusterConnection cluster, string root, CancellationToken cancellationToken) =>
        WaitUntilAsync(async () =>
        {
            var pods = await cluster.CallAsync(
                new ClusterOperation("list", "pods", Namespace: root),
                (c, ct) => c.CoreV1.ListNamespacedPodAsync(root, labelSelector: $"{RoutingNames.RouterLabel}=true", cancellationToken: ct),
                cancellationToken).ConfigureAwait(false);
            return pods.Items.Count == 0;
        }, "the router's pods to end", cancellationToken);

    /// <summary>Polls <paramref name="condition"/> until it holds; after the ready time-out it gives up with a warning (removal goes on).</summary>
    private async Task WaitUntilAsync(Func<Task<bool>> condition, string what, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + settings.ReadyTimeout;
        while (!await condition().ConfigureAwait(false))
        {
            if (DateTime.UtcNow > deadline)
            {
                Log.Warn($"routing: gave up waiting for {what} after {settings.ReadyTimeout.TotalSeconds:0} s");
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits until the Endpoints of every fronted Service are the router's alone, so requests from now on meet it.</summary>
    private async Task WaitFrontedAsync(ClusterConnection cluster, string root, RoutePlan plan, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + settings.ReadyTimeout;
        foreach (var (service, _) in plan.Fronted)
        {
            var name = service.Metadata.Name;
            var listen = plan.Config.Routes.Where(r => r.Service == name).Select(r => r.Listen).ToHashSet();
            while (true)
            {
                var endpoints = await cluster.TryCallAsync(
                    new ClusterOperation("get", "endpoints", name, root),
                    (c, ct) => c.CoreV1.ReadNamespacedEndpointsAsync(name, root, cancellationToken: ct),
                    cancellationToken).ConfigureAwait(false);
                var subsets = endpoints?.Subsets ?? [];
                if (subsets.Count > 0 && subsets.All(s => s.Addresses?.Count > 0 && (s.NotReadyAddresses?.Count ?? 0) == 0 && s.Ports.All(p => listen.Contains(p.Port))))
                {
                    break;
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw new DevSpacesException(
                        RpcErrorCode.RoutingFailed,
                        $"Service '{name}' in '{root}' was pointed at the router, but its endpoints did not follow within {settings.ReadyTimeout.TotalSeconds:0} s.",
                        $"Check the router's pod (kubectl -n {root} get pods -l {RoutingNames.RouterLabel}=true); 'devspaces routing disable --space {root}' restores the Services.");
                }

                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Waits until the router's Deployment has rolled out and its pod is ready; on time-out says why it is not.</summary>
    private async Task WaitReadyAsync(ClusterConnection cluster, string root, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + settings.ReadyTimeout;
        while (true)
        {
            var deployment = await cluster.CallAsync(
                new ClusterOperation("get", "deployments", RoutingNames.Router, root),
                (c, ct) => c.AppsV1.ReadNamespacedDeploymentAsync(RoutingNames.Router, root, cancellationToken: ct),
                cancellationToken).ConfigureAwait(false);
            var status = deployment.Status;
            if (status is not null && status.ObservedGeneration >= deployment.Metadata.Generation
                && status.UpdatedReplicas == deployment.Spec.Replicas && status.Replicas == status.UpdatedReplicas && status.ReadyReplicas >= 1)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                var pods = await cluster.CallAsync(
                    new ClusterOperation("list", "pods", Namespace: root),
                    (c, ct) => c.CoreV1.ListNamespacedPodAsync(root, labelSelector: $"{RoutingNames.RouterLabel}=true", cancellationToken: ct),
                    cancellationToken).ConfigureAwait(false);
                var why = string.Join("; ", pods.Items.Select(PodReadiness.DescribeNotReady));
                throw new DevSpacesException(
                    RpcErrorCode.RoutingFailed,
                    $"The router in '{root}' did not get ready within {settings.ReadyTimeout.TotalSeconds:0} s{(why.Length > 0 ? $": {why}" : "")}. No Service was changed.",
                    $"See 'kubectl -n {root} logs deploy/{RoutingNames.Router}'; run 'devspaces routing disable --space {root}' to remove it.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
        }
    }
}
