using System.Diagnostics;
using DevSpaces.Contracts;
using DevSpaces.Core.Cluster;
using DevSpaces.Core.Images;
using DevSpaces.Core.Logging;
using DevSpaces.Core.PortForwarding;
using DevSpaces.Core.Spaces;
using DevSpaces.Core.Watch;
using DevSpaces.Tunnel;
using DevSpaces.Tunnel.Takeover;
using k8s;
using k8s.Models;

namespace DevSpaces.Core.Connect;

/// <summary>
/// Connects a Service to a local process: plans the takeover, cleans remains of a crashed session, builds the agent
/// image, records and takes over the workload, opens the tunnel and computes the local environment (with the copied
/// mounts and, opted in, the hosts-file section). Any failure after the takeover began restores the workload and
/// removes what was written on this machine before the error is reported.
/// </summary>
public sealed class ConnectService(ClusterConnection cluster, IAgentImage image, AgentSettings settings, ILog log, LocalFiles? localFiles = null)
{
    private readonly LocalFiles local = localFiles ?? LocalFiles.FromEnvironment();

    public async Task<ConnectSession> ConnectAsync(ConnectRequest request, Action<ConnectEvent> report, CancellationToken cancellationToken)
    {
        // Every event is also logged: the log is where the editor's output shows them.
        void Progress(string message) => Report(ConnectEventKind.Progress, message);

        void Report(ConnectEventKind kind, string message)
        {
            log.Info(message);
            report(new ConnectEvent(DateTimeOffset.UtcNow, kind, message));
        }

        // Where set-up time goes, in the debug log (bench/connect reads it for its per-phase figures).
        var clock = Stopwatch.StartNew();
        void Phase(string name) => log.Debug($"connect set-up: {name} done after {clock.ElapsedMilliseconds} ms");

        var remains = local.CleanStale(log.Warn);
        if (remains.Count > 0)
        {
            Report(ConnectEventKind.Cleaned, $"Cleaned up remains of a crashed session on this machine: {string.Join("; ", remains)}.");
        }

        if (request.WriteHosts)
        {
            // Before anything changes in the cluster: without the right to write it, fail at once.
            local.Hosts.CheckWritable();
        }

        var takeover = new ServiceTakeover(cluster);

        // Isolated: the Service and its workload are read from the nearest parent space holding them, and the session
        // lives in the child; a child holding its own version is taken over as usual (only its requests reach it).
        var source = request.Namespace;
        string? isolatedIn = null;
        if (request.Isolated)
        {
            var target = await new IsolationPlanner(new ClusterIsolationReads(cluster)).PlanAsync(request.Namespace, request.Service, cancellationToken).ConfigureAwait(false);
            if (target.ChildHoldsService)
            {
                Progress($"Space {request.Namespace} has its own version of service {request.Service}: taking that one over, which only requests routed to {request.Namespace} reach.");
            }
            else
            {
                (source, isolatedIn) = (target.Source, request.Namespace);
                Progress($"Isolated: requests for service {request.Service} routed to space {request.Namespace} will reach this machine; {target.Source}'s version keeps serving everyone else, unchanged (router of {target.Root}).");
            }
        }

        var plan = await takeover.PlanAsync(source, request.Service, request.Container, cancellationToken).ConfigureAwait(false) with { IsolatedIn = isolatedIn };
        Phase("plan");
        // Every right the takeover needs, asked before anything changes: a user who lacks one is told which, and the
        // cluster stays as it is. Isolated, every change is in the child space; the parent spaces are only read.
        var ns = plan.SessionNamespace;
        await AccessReview.RequireAsync(cluster, [
            .. isolatedIn is null
                ? [new ClusterOperation("patch", plan.Workload.Resource, plan.Workload.Name, ns)]
                : new[] { new ClusterOperation("create", "services", Namespace: ns), new ClusterOperation("delete", "services", plan.ServiceName, ns) },
            new ClusterOperation("create", "deployments", Namespace: ns),
            new ClusterOperation("create", "secrets", Namespace: ns),
            new ClusterOperation("create", "serviceaccounts", Namespace: ns),
            new ClusterOperation("create", "roles", Namespace: ns),
            new ClusterOperation("create", "rolebindings", Namespace: ns),
            new ClusterOperation("create", "pods/portforward", Namespace: ns),
            // The Service's selector is pointed at the agent (unless the router fronts it), and the agent may read its endpoints.
            .. plan.IsolatedIn is null && !plan.RouterFronted
                ? [new ClusterOperation("patch", "services", plan.ServiceName, ns), new ClusterOperation("get", "endpoints", plan.ServiceName, ns)]
                : Array.Empty<ClusterOperation>(),
        ], cancellationToken).ConfigureAwait(false);
        var cleaned = await takeover.CheckFreeAsync(plan, cancellationToken).ConfigureAwait(false);
        if (cleaned.Count > 0)
        {
            Report(ConnectEventKind.Cleaned, $"Cleaned up remains of an earlier session: {string.Join("; ", cleaned)}.");
            plan = await takeover.PlanAsync(source, request.Service, request.Container, cancellationToken).ConfigureAwait(false) with { IsolatedIn = isolatedIn };
        }

        Phase("cleanup check");
        if (request.KeepOriginal && isolatedIn is null && Routing.RoutePlanner.OriginalSpec(plan.Service) is not null)
        {
            // Its selector picks the router: pointing it at the agent would take the router out of every request's path.
            throw ConnectErrors.KeepOriginalOfRoutedService(plan.ServiceName, plan.Namespace);
        }

        plan = plan with { KeepOriginal = request.KeepOriginal && isolatedIn is null, ForwardProbes = request.ForwardProbes };
        foreach (var warning in plan.Warnings.Concat(plan.ForwardProbes ? ForwardedProbes.From(plan.Container).Warnings : []))
        {
            log.Warn(warning);
            report(new ConnectEvent(DateTimeOffset.UtcNow, ConnectEventKind.Warning, warning));
        }

        var outbound = await FindEndpointsAsync(plan, cancellationToken).ConfigureAwait(false);
        if (request.WriteHosts)
        {
            LoopbackAddresses.CheckBindable(outbound);
        }

        Phase("outbound endpoints");
        Progress($"Preparing the agent image ({settings.BaseImage}).");
        var delivered = await image.EnsureAsync(plan.Namespace, new CallbackProgress<ImageProgress>(p => log.Debug(p.Message)), cancellationToken).ConfigureAwait(false);
        Phase("image ensure");

        var session = Guid.NewGuid().ToString("N")[..12];
        var key = TunnelHandshake.NewKey();
        Progress(isolatedIn is not null
            ? $"Connecting next to {plan.Workload} of {plan.Namespace} (container {plan.Container.Name}; not changed) with agent {delivered.Reference} in {isolatedIn}."
            : plan.KeepOriginal
            ? $"Connecting next to {plan.Workload} (container {plan.Container.Name}; its {plan.Workload.Replicas} replicas keep running, service {plan.ServiceName}'s selector is recorded and pointed at agent {delivered.Reference})."
            : $"Taking over {plan.Workload} (container {plan.Container.Name}, {plan.Workload.Replicas} replicas recorded; they serve until service {plan.ServiceName} points at agent {delivered.Reference}, then scale to 0).");
        var record = await takeover.ApplyAsync(plan, session, key, delivered, settings, cancellationToken).ConfigureAwait(false);
        Phase("takeover");
        var connected = new ConnectSession(cluster, plan, record, delivered.Reference, key, request.LocalPort, settings, log, report, local);

        // Each change below is followed from before it can happen, so it is seen the moment it does: the agent's
        // readiness while the tunnel opens, the Service's endpoints before its selector changes.
        using var following = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var agentReady = plan.ForwardProbes ? Task.CompletedTask : connected.WaitForReadyAgentAsync(following.Token);
        var endpointsSwitched = Task.CompletedTask;
        try
        {
            await connected.StartAsync(outbound, request.WriteHosts, cancellationToken).ConfigureAwait(false);
            Phase("tunnel");

            // Make before break: only now, with the tunnel up and the agent ready, does the Service point at it (isolated:
            // the child space's own Service is made); until here the original pods serve. With forwarded probes the agent
            // is ready only once the local process answers them, which may be after connect returns.
            await agentReady.ConfigureAwait(false);

            // A Service the router fronts has the agent in its baseline's endpoints next to the original pods until they go.
            if (!plan.RouterFronted)
            {
                endpointsSwitched = WaitForAgentEndpointsAsync(plan, record.Session, Progress, following.Token);
            }

            if (plan.IsolatedIn is not null)
            {
                await takeover.ExposeIsolatedAsync(plan, record, cancellationToken).ConfigureAwait(false);
            }
            else if (!plan.RouterFronted)
            {
                await takeover.PointServiceAtAgentAsync(plan, record, cancellationToken).ConfigureAwait(false);
            }

            if (!plan.RouterFronted)
            {
                await endpointsSwitched.ConfigureAwait(false);
                Phase("endpoints switched");
            }

            // kube-proxy applies the new endpoints a moment after the API server has them, and no namespace-scoped user
            // can read when: until then new connections may still go to the original, which keeps serving them. The
            // agent sees it by connecting to the Service itself; where it cannot tell (the router fronts the Service, a
            // cluster without hairpin traffic), the settle time stands.
            var settling = Stopwatch.StartNew();
            if (!plan.RouterFronted && plan.IsolatedIn is null
                && await connected.WaitForServiceRouteAsync(settings.EndpointsSettle, cancellationToken).ConfigureAwait(false))
            {
                Phase("endpoints applied by kube-proxy");
            }
            else if (settings.EndpointsSettle - settling.Elapsed is { Ticks: > 0 } rest)
            {
                await Task.Delay(rest, cancellationToken).ConfigureAwait(false);
                Phase("endpoints settled");
            }

            if (!plan.OriginalKeepsRunning)
            {
                // Break: new connections reach the agent; the original's pods go, and with them the connections clients
                // kept open to them (a client's next request then opens one to the agent).
                await takeover.ScaleDownOriginalAsync(plan, cancellationToken).ConfigureAwait(false);
                await WaitForOriginalPodsGoneAsync(plan, Progress, cancellationToken).ConfigureAwait(false);
                Phase("original gone");
            }

            if (plan.RouterFronted)
            {
                await WaitForAgentEndpointsAsync(plan, record.Session, Progress, cancellationToken).ConfigureAwait(false);
                Phase("endpoints switched");
            }

            connected.ReportConnected();
            var (variables, warnings) = await new ConnectEnvironment(cluster).BuildAsync(plan, connected.Endpoints, request.LocalPort, cancellationToken).ConfigureAwait(false);
            foreach (var warning in warnings)
            {
                Progress($"Environment: {warning}");
            }

            connected.Environment = variables;
            if (request.CopyMounts && plan.Container.VolumeMounts is { Count: > 0 })
            {
                await connected.CopyMountsAsync(new ClusterVolumeContent(cluster, plan.Namespace), cancellationToken).ConfigureAwait(false);
            }

            Phase("environment");
            return connected;
        }
        catch
        {
            await following.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(agentReady, endpointsSwitched).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            try
            {
                await connected.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The failure that ended the set-up is what the caller gets; the undo's own is told next to it.
                Report(ConnectEventKind.Warning, $"Undoing the takeover after that failure did not finish: {e.Message} The next connect to service {plan.ServiceName} cleans up what is left.");
            }

            throw;
        }
    }

    /// <summary>
    /// Waits until the Service's endpoints are the agent's pods only (the agent among the ready addresses, a not-ready
    /// one gets no traffic, and no other pod, ready or not). Follows the Endpoints with a watch, so the switch is seen
    /// when it happens rather than at the next poll.
    /// </summary>
    private async Task WaitForAgentEndpointsAsync(TakeoverPlan plan, string session, Action<string> progress, CancellationToken cancellationToken)
    {
        var agentPrefix = TakeoverNames.Agent(plan.Workload.Name) + "-";
        bool IsAgent(V1EndpointAddress address) => address.TargetRef?.Name?.StartsWith(agentPrefix, StringComparison.Ordinal) == true;
        bool AgentOnly(IEnumerable<V1Endpoints> endpoints)
        {
            var subsets = endpoints.SelectMany(e => e.Subsets ?? []).ToList();
            return subsets.Any(s => s.Addresses?.Any(IsAgent) == true)
                && subsets.All(s => (s.Addresses ?? []).Concat(s.NotReadyAddresses ?? []).All(IsAgent));
        }

        // A Service the router fronts keeps selecting the router: the agent shows in its baseline Service's endpoints.
        var watched = plan.RouterFronted ? Routing.RoutePlanner.BaselineName(plan.ServiceName) : plan.ServiceName;
        var byName = $"metadata.name={watched}";
        var source = new KubernetesWatchSource<V1Endpoints>(
            async ct =>
            {
                var list = await cluster.CallAsync(new ClusterOperation("list", "endpoints", watched, plan.SessionNamespace),
                    (c, t) => c.CoreV1.ListNamespacedEndpointsAsync(plan.SessionNamespace, fieldSelector: byName, cancellationToken: t), ct).ConfigureAwait(false);
                return (list.Items.ToList(), list.Metadata.ResourceVersion);
            },
            (rv, onError, ct) => cluster.Client.CoreV1.WatchListNamespacedEndpointsAsync(
                plan.SessionNamespace, fieldSelector: byName, resourceVersion: rv, allowWatchBookmarks: true, timeoutSeconds: 30, onError: onError, cancellationToken: ct));
        if (!await WatchUntilAsync($"endpoints of service {plan.ServiceName}", source, e => e.Metadata.Name, AgentOnly, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false))
        {
            progress($"The endpoints of service {plan.ServiceName} still list other pods than the agent after 30 s; some requests may still reach them (session {session}).");
        }
    }

    /// <summary>
    /// Waits until every pod of the original has stopped (its containers terminated, or the pod deleted): until then
    /// the front ends' kept-alive connections to it may still carry requests there. The kubelet deletes a stopped pod
    /// some seconds later (10 s here), which "connected" need not wait for. Followed with a watch of the Service's
    /// original selector (the agent's pods carry only the session's labels).
    /// </summary>
    private async Task WaitForOriginalPodsGoneAsync(TakeoverPlan plan, Action<string> progress, CancellationToken cancellationToken)
    {
        static bool Stopped(V1Pod pod) =>
            pod.Metadata.DeletionTimestamp != null
            && pod.Status?.ContainerStatuses is { Count: > 0 } containers
            && containers.All(c => c.State?.Terminated != null);

        var selection = new PodSelection(plan.Namespace, LabelSelectorText.From(plan.Service.Spec.Selector), null);
        var timeout = TimeSpan.FromSeconds(60);
        if (!await WatchUntilAsync($"pods of {plan.Workload}", ReadyPodTracker.PodsOf(cluster.Client, selection), p => p.Metadata.Name, pods => pods.All(Stopped), timeout, cancellationToken).ConfigureAwait(false))
        {
            progress($"Pods of {plan.Workload} are still terminating after {timeout.TotalSeconds:0} s; requests on connections kept open to them may still reach them.");
        }
    }

    /// <summary>
    /// Follows <paramref name="source"/> (a list, then a watch) until <paramref name="done"/> holds for the objects it
    /// names (told apart by <paramref name="nameOf"/>: a constraint to KubernetesClient's types here would load that
    /// assembly with this class). False after <paramref name="timeout"/>, or when this user may not read them (logged).
    /// </summary>
    private async Task<bool> WatchUntilAsync<T>(string what, IWatchSource<T> source, Func<T, string> nameOf, Func<IEnumerable<T>, bool> done, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var known = new Dictionary<string, T>(StringComparer.Ordinal);
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task Check()
        {
            if (done(known.Values))
            {
                reached.TrySetResult();
            }

            return Task.CompletedTask;
        }

        await using var watch = ListWatch<T>.Start(
            what,
            source,
            new WatchHandlers<T>(
                (items, _) =>
                {
                    known.Clear();
                    foreach (var item in items)
                    {
                        known[nameOf(item)] = item;
                    }

                    return Check();
                },
                (type, item, _) =>
                {
                    if (type == WatchEventKind.Deleted)
                    {
                        known.Remove(nameOf(item));
                    }
                    else
                    {
                        known[nameOf(item)] = item;
                    }

                    return Check();
                },
                (failure, retryIn, _) =>
                {
                    if (IsForbidden(failure))
                    {
                        return Task.FromException(failure);
                    }

                    log.Debug($"reading the {what} failed, again in {retryIn.TotalSeconds:0.#} s: {failure.Message}");
                    return Task.CompletedTask;
                }),
            log);
        try
        {
            var ended = await Task.WhenAny(reached.Task, watch.Completion).WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            await ended.ConfigureAwait(false);
            return reached.Task.IsCompleted;
        }
        catch (TimeoutException)
        {
            return false;
        }
        catch (Exception e) when (IsForbidden(e))
        {
            log.Warn($"cannot watch the {what}: {e.Message}");
            return false;
        }
    }

    private static bool IsForbidden(Exception e) =>
        e is Errors.DevSpacesException { ErrorCode: Contracts.RpcErrorCode.Forbidden } or k8s.Autorest.HttpOperationException { Response.StatusCode: System.Net.HttpStatusCode.Forbidden };

    /// <summary>Every TCP port of every Service in the space and its parents (nearest first), except the connected one.</summary>
    private async Task<IReadOnlyList<OutboundEndpoint>> FindEndpointsAsync(TakeoverPlan plan, CancellationToken cancellationToken)
    {
        var endpoints = new List<OutboundEndpoint>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var ns = plan.SessionNamespace;
        for (var depth = 0; ns != null && depth < 16; depth++)
        {
            var current = ns;
            var services = await cluster.CallAsync(new ClusterOperation("list", "services", Namespace: current),
                (c, ct) => c.CoreV1.ListNamespacedServiceAsync(current, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
            foreach (var service in services.Items)
            {
                var name = service.Metadata.Name;
                // The connected Service itself is this machine (isolated: whichever space's version it stands in for).
                if ((name == plan.ServiceName && (current == plan.Namespace || plan.IsolatedIn != null)) || !seen.Add(name) || service.Spec.Type == "ExternalName")
                {
                    continue;
                }

                var host = service.Spec.ClusterIP is { Length: > 0 } ip && ip != "None" ? ip : $"{name}.{current}.svc";
                foreach (var port in service.Spec.Ports?.Where(p => p.Protocol is null or "TCP") ?? [])
                {
                    endpoints.Add(new OutboundEndpoint(name, current, port.Name, port.Port, host));
                }
            }

            try
            {
                var space = await cluster.TryCallAsync(new ClusterOperation("get", "namespaces", current),
                    (c, ct) => c.CoreV1.ReadNamespaceAsync(current, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
                ns = space?.Metadata.Labels?.TryGetValue(SpaceLabels.Parent, out var parent) == true ? parent : null;
            }
            catch (Errors.DevSpacesException e) when (e.ErrorCode == Contracts.RpcErrorCode.Forbidden)
            {
                // Users with only a namespace-scoped Role cannot read namespaces: then the parents' services are left out.
                log.Warn($"cannot read namespace {current} to find its parent space: {e.Message}");
                ns = null;
            }
        }

        return endpoints;
    }
}
