using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace DevSpaces.Tunnel.Takeover;

/// <summary>
/// Puts a taken-over workload back as its record says and removes the session's objects, make before break: the
/// original replicas come back and are ready, then the Service's selector goes back to them, then (once the endpoints
/// have moved and kube-proxy has had time to apply them) the record and the agent go. Safe to run any number of times,
/// from the daemon, from the agent (with its namespace-scoped Role) or from a later run.
/// </summary>
/// <param name="client">The API client (the agent's has only its namespace-scoped Role).</param>
/// <param name="kind">The workload's kind: <see cref="TakeoverNames.DeploymentKind"/> or <see cref="TakeoverNames.StatefulSetKind"/>.</param>
/// <param name="settle">
/// How long the agent keeps serving after the Service's endpoints left it: kube-proxy applies endpoint changes a moment
/// after the API server has them (1–2 s here), and until then new connections may still be sent to the agent.
/// </param>
/// <param name="trafficMoved">Called with the addresses of the Service's ready endpoints once they no longer include the agent.</param>
/// <param name="routeLeftAgent">
/// Tells, probing for at most the given time, whether new connections to the Service's cluster address (IP, port) no
/// longer reach the agent (see the agent's <c>RouteProbe</c>); the restore then goes on at once instead of waiting out
/// <paramref name="settle"/>. Without it, or when it cannot tell, the restore waits the rest of <paramref name="settle"/>.
/// </param>
public sealed class WorkloadRestorer(
    IKubernetes client,
    string kind = TakeoverNames.DeploymentKind,
    TimeSpan? settle = null,
    Action<IReadOnlyList<string>>? trafficMoved = null,
    Func<string, int, TimeSpan, CancellationToken, Task<bool>>? routeLeftAgent = null)
{
    /// <summary>The default of the <c>settle</c> parameter.</summary>
    public static readonly TimeSpan DefaultSettle = TimeSpan.FromSeconds(3);

    /// <summary>How long a restore waits for the original replicas to be ready before it moves the traffic anyway.</summary>
    public static readonly TimeSpan OriginalReadyTimeout = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
    private readonly string what = kind == TakeoverNames.StatefulSetKind ? "statefulset" : "deployment";

    /// <summary>
    /// Restores <paramref name="workload"/> in <paramref name="ns"/>. With <paramref name="session"/> set, only
    /// that session's takeover is undone (a newer session by someone else is left alone).
    /// Returns what was done, for logs.
    /// </summary>
    public Task<IReadOnlyList<string>> RestoreAsync(string ns, string workload, string? session, CancellationToken cancellationToken) =>
        RestoreAsync(ns, workload, session, null, cancellationToken);

    /// <summary>
    /// As <see cref="RestoreAsync(string, string, string?, CancellationToken)"/>; <paramref name="service"/> names the
    /// Service to check for a changed selector when the workload's record is gone or unreadable.
    /// </summary>
    public async Task<IReadOnlyList<string>> RestoreAsync(string ns, string workload, string? session, string? service, CancellationToken cancellationToken)
    {
        var done = new List<string>();
        var state = await ReadWorkloadAsync(ns, workload, cancellationToken).ConfigureAwait(false);
        var text = state?.Metadata.Annotations?.TryGetValue(TakeoverNames.RecordAnnotation, out var value) == true ? value : null;
        var record = TakeoverRecord.Parse(text);
        if (session != null && record != null && record.Session != session)
        {
            done.Add($"{what} {workload} belongs to another session ({record.Owner}); left alone");
            return done;
        }

        // 1. Make: the original replicas back (a session that kept them running never changed them) and ready.
        if (state != null && text != null)
        {
            if (record is { KeepOriginal: false } && state.Replicas != record.Replicas)
            {
                await PatchWorkloadAsync(ns, workload, new JsonObject { ["spec"] = new JsonObject { ["replicas"] = record.Replicas } }, cancellationToken).ConfigureAwait(false);
                done.Add($"{what} {workload} scaled back to {record.Replicas}");
            }

            if (!await WaitUntilReadyAsync(ns, workload, cancellationToken).ConfigureAwait(false))
            {
                done.Add($"{what} {workload} was not ready after {OriginalReadyTimeout.TotalSeconds:0} s; the service was pointed back at it anyway");
            }
        }

        // 2. The Service's selector back: traffic moves to the original while the agent still serves.
        var moved = false;
        if (record?.ServiceSelector != null || (record == null && service != null))
        {
            var (changed, steps) = await RestoreSelectorAsync(ns, record?.Service ?? service!, record?.Session ?? session, record?.ServiceSelector, cancellationToken).ConfigureAwait(false);
            done.AddRange(steps);
            moved = changed;
        }

        if (record == null && service != null)
        {
            // An isolated session's own Service in the child space goes first, so the router sends that space's
            // requests back to the parent's version before the agent goes away.
            done.AddRange(await DeleteIsolatedServiceAsync(ns, service, session, cancellationToken).ConfigureAwait(false));
        }

        if (moved)
        {
            await WaitUntilEndpointsLeaveAgentAsync(ns, record?.Service ?? service!, workload, cancellationToken).ConfigureAwait(false);
            await SettleAsync(ns, record?.Service ?? service!, cancellationToken).ConfigureAwait(false);
        }

        // 3. Break: the record goes, then the agent and the session's objects.
        if (state != null && text != null)
        {
            await PatchWorkloadAsync(ns, workload, new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [TakeoverNames.RecordAnnotation] = null } } }, cancellationToken).ConfigureAwait(false);
            done.Add(record switch
            {
                null => $"removed an unreadable record from {what} {workload}",
                { KeepOriginal: true } => $"removed the record from {what} {workload} (its {record.Replicas} replicas kept running)",
                _ => $"removed the record from {what} {workload}",
            });
        }

        var background = new V1DeleteOptions { PropagationPolicy = "Background" };
        if (await TryAsync(() => client.AppsV1.DeleteNamespacedDeploymentAsync(TakeoverNames.Agent(workload), ns, background, cancellationToken: cancellationToken)).ConfigureAwait(false) != null)
        {
            done.Add($"deleted agent deployment {TakeoverNames.Agent(workload)}");
        }

        // The Secret owns the ServiceAccount, Role and RoleBinding: the garbage collector removes them with it.
        if (await TryAsync(() => client.CoreV1.DeleteNamespacedSecretAsync(TakeoverNames.SessionSecret(workload), ns, background, cancellationToken: cancellationToken)).ConfigureAwait(false) != null)
        {
            done.Add($"deleted session secret {TakeoverNames.SessionSecret(workload)}");
        }

        return done;
    }

    /// <summary>
    /// While the daemon's tunnel is lost, the agent brings a scaled-down original back up (<paramref name="running"/>), so
    /// that a restore after the heartbeat timeout finds it ready; when the tunnel returns in time, it scales it to 0
    /// again (the Service still selects the agent, so the original has received nothing). Only for
    /// <paramref name="session"/>'s record, and never for an original that kept running. Returns what was done, or null.
    /// </summary>
    public async Task<string?> StandByAsync(string ns, string workload, string session, bool running, CancellationToken cancellationToken)
    {
        var state = await ReadWorkloadAsync(ns, workload, cancellationToken).ConfigureAwait(false);
        var record = TakeoverRecord.Parse(state?.Metadata.Annotations?.TryGetValue(TakeoverNames.RecordAnnotation, out var value) == true ? value : null);
        var replicas = running ? record?.Replicas : 0;
        if (state == null || record == null || record.Session != session || record.KeepOriginal || state.Replicas == replicas)
        {
            return null;
        }

        await PatchWorkloadAsync(ns, workload, new JsonObject { ["spec"] = new JsonObject { ["replicas"] = replicas } }, cancellationToken).ConfigureAwait(false);
        return $"{what} {workload} scaled to {replicas} ({(running ? "standing by while the tunnel is lost" : "the tunnel is back")})";
    }

    /// <summary>Reads the workload once (the agent's first call opens its client's connection ahead of the calls that matter).</summary>
    public Task PrepareAsync(string ns, string workload, CancellationToken cancellationToken) => ReadWorkloadAsync(ns, workload, cancellationToken);

    /// <summary>Polls the workload (the agent may only <c>get</c> it) until its replicas are ready; false after <see cref="OriginalReadyTimeout"/>.</summary>
    private async Task<bool> WaitUntilReadyAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (await ReadWorkloadAsync(ns, name, cancellationToken).ConfigureAwait(false) is { } state)
        {
            if (state.ObservedGeneration >= state.Generation && state.ReadyReplicas >= state.Replicas)
            {
                return true;
            }

            if (waited.Elapsed > OriginalReadyTimeout)
            {
                return false;
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }

        return true; // deleted meanwhile: nothing to wait for
    }

    /// <summary>
    /// Waits until kube-proxy sends new connections to the Service elsewhere: as long as the route probe needs to see it,
    /// or <c>settle</c> when there is no probe or it cannot tell (a headless Service, a cluster without hairpin traffic).
    /// </summary>
    private async Task SettleAsync(string ns, string service, CancellationToken cancellationToken)
    {
        var wait = settle ?? DefaultSettle;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        if (routeLeftAgent != null)
        {
            try
            {
                var read = await TryAsync(() => client.CoreV1.ReadNamespacedServiceAsync(service, ns, cancellationToken: cancellationToken)).ConfigureAwait(false);
                if (read?.Spec is { ClusterIP: { } address, Ports: [var first, ..] } && IPAddress.TryParse(address, out _)
                    && await routeLeftAgent(address, first.Port, wait, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
            }
            catch (HttpOperationException)
            {
                // Without the right to read the Service (or a failed read), the settle time stands.
            }
        }

        var rest = wait - waited.Elapsed;
        if (rest > TimeSpan.Zero)
        {
            await Task.Delay(rest, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Polls the Service's endpoints until no agent pod is among them (at most 10 s; skipped without the right to read them).</summary>
    private async Task WaitUntilEndpointsLeaveAgentAsync(string ns, string service, string workload, CancellationToken cancellationToken)
    {
        var agentPrefix = TakeoverNames.Agent(workload) + "-";
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            V1Endpoints? endpoints;
            try
            {
                endpoints = await TryAsync(() => client.CoreV1.ReadNamespacedEndpointsAsync(service, ns, cancellationToken: cancellationToken)).ConfigureAwait(false);
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Forbidden)
            {
                return;
            }

            var addresses = endpoints?.Subsets?.SelectMany(s => (s.Addresses ?? []).Concat(s.NotReadyAddresses ?? [])) ?? [];
            if (!addresses.Any(a => a.TargetRef?.Name?.StartsWith(agentPrefix, StringComparison.Ordinal) == true))
            {
                trafficMoved?.Invoke([.. endpoints?.Subsets?.SelectMany(s => s.Addresses ?? []).Select(a => a.Ip).Distinct() ?? []]);
                return;
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Puts the Service's selector back as the record on the Service says and removes that record, guarded by the
    /// resourceVersion read, so a concurrent edit makes us read again rather than overwrite it.
    /// </summary>
    private async Task<(bool Changed, IReadOnlyList<string> Steps)> RestoreSelectorAsync(string ns, string name, string? session, IReadOnlyDictionary<string, string>? recorded, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var service = await TryAsync(() => client.CoreV1.ReadNamespacedServiceAsync(name, ns, cancellationToken: cancellationToken)).ConfigureAwait(false);
            var text = service?.Metadata.Annotations?.TryGetValue(TakeoverNames.RecordAnnotation, out var value) == true ? value : null;
            var onService = TakeoverRecord.Parse(text);
            if (service == null || text == null)
            {
                // Not changed yet (or already restored): nothing to put back.
                return (false, []);
            }

            if (onService != null && session != null && onService.Session != session)
            {
                return (false, [$"service {name} belongs to another session ({onService.Owner}); left alone"]);
            }

            if ((onService?.ServiceSelector ?? recorded) is not { } original)
            {
                // A record we cannot read and no selector to go back to: leave the Service as it is.
                return (false, [$"service {name} carries an unreadable {TakeoverNames.RecordAnnotation} annotation; left as it is"]);
            }

            var selector = new JsonObject();
            foreach (var key in service.Spec.Selector?.Keys ?? [])
            {
                if (!original.ContainsKey(key))
                {
                    selector[key] = null;
                }
            }

            foreach (var (key, v) in original)
            {
                selector[key] = v;
            }

            var patch = new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["resourceVersion"] = service.Metadata.ResourceVersion,
                    ["annotations"] = new JsonObject { [TakeoverNames.RecordAnnotation] = null },
                },
                ["spec"] = new JsonObject { ["selector"] = selector },
            };
            try
            {
                await client.CoreV1.PatchNamespacedServiceAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
                return (true, [$"service {name} selects {string.Join(",", original.Select(p => $"{p.Key}={p.Value}"))} again"]);
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict && attempt < 5)
            {
                // Changed since we read it; read again.
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
            {
                return (false, []);
            }
        }
    }

    /// <summary>
    /// Deletes the Service an isolated session created (it carries <see cref="TakeoverNames.IsolatedLabel"/> and the
    /// session's label; with <paramref name="session"/> null, any session's), guarded by its uid. Any other Service of
    /// that name is left alone.
    /// </summary>
    private async Task<IReadOnlyList<string>> DeleteIsolatedServiceAsync(string ns, string name, string? session, CancellationToken cancellationToken)
    {
        var service = await TryAsync(() => client.CoreV1.ReadNamespacedServiceAsync(name, ns, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var labels = service?.Metadata.Labels;
        if (labels is null || !labels.TryGetValue(TakeoverNames.IsolatedLabel, out var from)
            || !labels.TryGetValue(TakeoverNames.SessionLabel, out var owner) || (session != null && owner != session))
        {
            return [];
        }

        try
        {
            var options = new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = service!.Metadata.Uid } };
            await TryAsync(() => client.CoreV1.DeleteNamespacedServiceAsync(name, ns, options, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
        catch (System.Text.Json.JsonException)
        {
            // Kubernetes before 1.22 answers a Service's deletion with a Status this client cannot read as a Service: it is deleted all the same.
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            // Replaced meanwhile by another Service of that name: not ours.
            return [];
        }

        return [$"deleted service {name}, which stood in for {from}'s version in {ns}"];
    }

    /// <summary>What the restore reads of a workload, the same for a Deployment and a StatefulSet.</summary>
    private sealed record WorkloadState(V1ObjectMeta Metadata, int Replicas, int ReadyReplicas, long Generation, long ObservedGeneration);

    private async Task<WorkloadState?> ReadWorkloadAsync(string ns, string name, CancellationToken cancellationToken)
    {
        if (kind == TakeoverNames.StatefulSetKind)
        {
            var set = await TryAsync(() => client.AppsV1.ReadNamespacedStatefulSetAsync(name, ns, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return set == null ? null : new WorkloadState(set.Metadata, set.Spec.Replicas ?? 1, set.Status?.ReadyReplicas ?? 0, set.Metadata.Generation ?? 0, set.Status?.ObservedGeneration ?? 0);
        }

        var deployment = await TryAsync(() => client.AppsV1.ReadNamespacedDeploymentAsync(name, ns, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return deployment == null ? null : new WorkloadState(deployment.Metadata, deployment.Spec.Replicas ?? 1, deployment.Status?.ReadyReplicas ?? 0, deployment.Metadata.Generation ?? 0, deployment.Status?.ObservedGeneration ?? 0);
    }

    private async Task PatchWorkloadAsync(string ns, string name, JsonObject patch, CancellationToken cancellationToken)
    {
        var merge = new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch);
        if (kind == TakeoverNames.StatefulSetKind)
        {
            await TryAsync(() => client.AppsV1.PatchNamespacedStatefulSetAsync(merge, name, ns, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
        else
        {
            await TryAsync(() => client.AppsV1.PatchNamespacedDeploymentAsync(merge, name, ns, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
    }

    private static async Task<T?> TryAsync<T>(Func<Task<T>> call)
        where T : class
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
