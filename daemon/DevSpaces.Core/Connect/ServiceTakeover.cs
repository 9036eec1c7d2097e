using System.Diagnostics;
using System.Text.Json.Nodes;
using DevSpaces.Core.Cluster;
using DevSpaces.Core.Images;
using DevSpaces.Core.PortForwarding;
using DevSpaces.Tunnel.Takeover;
using k8s;
using k8s.Models;

namespace DevSpaces.Core.Connect;

/// <summary>
/// Takes a Service's workload over for a connect session and gives it back, make before break. The agent runs as its
/// own Deployment whose pods carry the session's labels; once it is ready, the Service's selector is pointed at them,
/// and only when the endpoints have moved is the original workload (Deployment or StatefulSet) scaled to 0 (so
/// background work stops too), unless it is kept running. The record of what changed is written to the workload and
/// the Service before anything changes.
/// </summary>
public sealed class ServiceTakeover(ClusterConnection cluster)
{
    /// <summary>Finds the workload, container and ports behind <paramref name="service"/> (see <see cref="TakeoverPlanner"/>).</summary>
    public Task<TakeoverPlan> PlanAsync(string ns, string service, string? containerName, CancellationToken cancellationToken) =>
        new TakeoverPlanner(new ClusterWorkloads(cluster)).PlanAsync(ns, service, containerName, cancellationToken);

    /// <summary>The workload of <paramref name="kind"/> named <paramref name="name"/>, or null when it is gone.</summary>
    public async Task<Workload?> ReadWorkloadAsync(string kind, string ns, string name, CancellationToken cancellationToken) =>
        await cluster.TryCallAsync(new ClusterOperation("get", Workload.ResourceOf(kind), name, ns),
            async (c, ct) => kind == TakeoverNames.StatefulSetKind
                ? Workload.Of(await c.AppsV1.ReadNamespacedStatefulSetAsync(name, ns, cancellationToken: ct).ConfigureAwait(false))
                : Workload.Of(await c.AppsV1.ReadNamespacedDeploymentAsync(name, ns, cancellationToken: ct).ConfigureAwait(false)),
            cancellationToken).ConfigureAwait(false);

    private Task PatchWorkloadAsync(TakeoverPlan plan, string patch, CancellationToken cancellationToken)
    {
        var (ns, workload) = (plan.Namespace, plan.Workload);
        var merge = new V1Patch(patch, V1Patch.PatchType.MergePatch);
        return cluster.CallAsync(new ClusterOperation("patch", workload.Resource, workload.Name, ns), (c, ct) => workload.Kind == TakeoverNames.StatefulSetKind
            ? c.AppsV1.PatchNamespacedStatefulSetAsync(merge, workload.Name, ns, cancellationToken: ct)
            : (Task)c.AppsV1.PatchNamespacedDeploymentAsync(merge, workload.Name, ns, cancellationToken: ct), cancellationToken);
    }

    /// <summary>
    /// Refuses when someone else's session holds the workload; cleans up remains of a crashed session (the agent
    /// is gone, or the recorded daemon process on this machine is dead). Returns what was cleaned.
    /// </summary>
    public async Task<IReadOnlyList<string>> CheckFreeAsync(TakeoverPlan plan, CancellationToken cancellationToken)
    {
        var ns = plan.SessionNamespace;
        var isolated = plan.IsolatedIn != null;
        var record = isolated ? null : RecordOf(plan.Workload.Metadata) ?? RecordOf(plan.Service.Metadata);
        var agent = await cluster.TryCallAsync(
            new ClusterOperation("get", "deployments", TakeoverNames.Agent(plan.Workload.Name), ns),
            (c, ct) => c.AppsV1.ReadNamespacedDeploymentAsync(TakeoverNames.Agent(plan.Workload.Name), ns, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        var secret = await cluster.TryCallAsync(
            new ClusterOperation("get", "secrets", TakeoverNames.SessionSecret(plan.Workload.Name), ns),
            (c, ct) => c.CoreV1.ReadNamespacedSecretAsync(TakeoverNames.SessionSecret(plan.Workload.Name), ns, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        // Isolated, nothing in the parent space is ours: the record is the session Secret's in the child.
        var ownService = isolated ? await new ClusterWorkloads(cluster).ReadServiceAsync(ns, plan.ServiceName, cancellationToken).ConfigureAwait(false) : null;
        if (isolated)
        {
            record = secret?.Data?.TryGetValue(TakeoverNames.RecordField, out var bytes) == true ? TakeoverRecord.Parse(System.Text.Encoding.UTF8.GetString(bytes)) : null;
            if (record is null && agent is null && secret is null && ownService?.Metadata.Labels?.ContainsKey(TakeoverNames.IsolatedLabel) != true)
            {
                return [];
            }
        }
        else if (record is null && agent is null && secret is null && plan.Workload.Metadata.Annotations?.ContainsKey(TakeoverNames.RecordAnnotation) != true
            && plan.Service.Metadata.Annotations?.ContainsKey(TakeoverNames.RecordAnnotation) != true)
        {
            return [];
        }

        var crashedHere = record != null && record.Host == Environment.MachineName && !IsAlive(record.ProcessId);
        if (record != null && agent != null && !crashedHere)
        {
            throw ConnectErrors.AlreadyConnected(plan.ServiceName, record.Owner, record.StartedAt, record.Session);
        }

        return await RestoreAsync(plan, session: null, cancellationToken).ConfigureAwait(false);
    }

    internal static TakeoverRecord? RecordOf(V1ObjectMeta metadata) =>
        TakeoverRecord.Parse(metadata.Annotations?.TryGetValue(TakeoverNames.RecordAnnotation, out var text) == true ? text : null);

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>How long a restore may take: the original replicas start and become ready before the agent goes.</summary>
    public static readonly TimeSpan RestoreTimeout = WorkloadRestorer.OriginalReadyTimeout + TimeSpan.FromSeconds(60);

    /// <summary>
    /// Records the original state on the workload and the Service (isolated: in the session Secret only; a Service the
    /// router fronts: on the workload only), and creates the session's Secret, RBAC and agent Deployment (isolated: in
    /// the child space); the original keeps serving. On failure, whatever was changed is restored.
    /// </summary>
    public async Task<TakeoverRecord> ApplyAsync(TakeoverPlan plan, string session, string sessionKey, ImageDeliveryResult image, AgentSettings agent, CancellationToken cancellationToken)
    {
        // Isolated, the workload and its Service are not touched: the record lives in the session Secret only.
        var record = plan.IsolatedIn != null
            ? NewRecord(plan, session) with { IsolatedFrom = plan.Namespace }
            : await RecordOnWorkloadAsync(plan, session, cancellationToken).ConfigureAwait(false);
        var ns = plan.SessionNamespace;
        var name = plan.Workload.Name;
        try
        {
            if (plan.IsolatedIn == null && !plan.RouterFronted)
            {
                await RecordOnServiceAsync(plan, record, cancellationToken).ConfigureAwait(false);
            }

            var secret = await cluster.CallAsync(
                new ClusterOperation("create", "secrets", TakeoverNames.SessionSecret(name), ns),
                (c, ct) => c.CoreV1.CreateNamespacedSecretAsync(AgentManifests.SessionSecret(plan, record, sessionKey), ns, cancellationToken: ct),
                cancellationToken).ConfigureAwait(false);
            var owner = new V1OwnerReference { ApiVersion = "v1", Kind = "Secret", Name = secret.Metadata.Name, Uid = secret.Metadata.Uid };
            await cluster.CallAsync(
                new ClusterOperation("create", "serviceaccounts", TakeoverNames.AgentAccess(name, session), ns),
                (c, ct) => c.CoreV1.CreateNamespacedServiceAccountAsync(AgentManifests.ServiceAccount(plan, session, owner), ns, cancellationToken: ct),
                cancellationToken).ConfigureAwait(false);
            await cluster.CallAsync(
                new ClusterOperation("create", "roles", TakeoverNames.AgentAccess(name, session), ns),
                (c, ct) => c.RbacAuthorizationV1.CreateNamespacedRoleAsync(AgentManifests.Role(plan, session, owner), ns, cancellationToken: ct),
                cancellationToken).ConfigureAwait(false);
            await cluster.CallAsync(
                new ClusterOperation("create", "rolebindings", TakeoverNames.AgentAccess(name, session), ns),
                (c, ct) => c.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(AgentManifests.RoleBinding(plan, session, owner), ns, cancellationToken: ct),
                cancellationToken).ConfigureAwait(false);
            await cluster.CallAsync(
                new ClusterOperation("create", "deployments", TakeoverNames.Agent(name), ns),
                (c, ct) => c.AppsV1.CreateNamespacedDeploymentAsync(AgentManifests.AgentDeployment(plan, session, image, agent, owner), ns, cancellationToken: ct),
                cancellationToken).ConfigureAwait(false);
            return record;
        }
        catch
        {
            using var undo = new CancellationTokenSource(RestoreTimeout);
            await RestoreAsync(plan, session, undo.Token).ConfigureAwait(false);
            throw;
        }
    }

    private static TakeoverRecord NewRecord(TakeoverPlan plan, string session) => new(
        session, $"{Environment.UserName}@{Environment.MachineName}", Environment.MachineName, Environment.ProcessId,
        DateTimeOffset.UtcNow, plan.Workload.Name, plan.Workload.Replicas, plan.ServiceName,
        plan.IsolatedIn == null && !plan.RouterFronted ? new Dictionary<string, string>(plan.Service.Spec.Selector) : null, plan.KeepOriginal);

    /// <summary>The record on the workload, written before anything else changes.</summary>
    private async Task<TakeoverRecord> RecordOnWorkloadAsync(TakeoverPlan plan, string session, CancellationToken cancellationToken)
    {
        var (ns, name) = (plan.Namespace, plan.Workload.Name);
        for (var attempt = 1; ; attempt++)
        {
            var record = NewRecord(plan, session);
            // The record, guarded by the resourceVersion it was read with: of two concurrent connects one gets a conflict.
            var annotate = new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["resourceVersion"] = plan.Workload.Metadata.ResourceVersion,
                    ["annotations"] = new JsonObject { [TakeoverNames.RecordAnnotation] = record.ToJson() },
                },
            };
            try
            {
                await PatchWorkloadAsync(plan, annotate.ToJsonString(), cancellationToken).ConfigureAwait(false);
                return record;
            }
            catch (Errors.DevSpacesException e) when (e.ErrorCode == Contracts.RpcErrorCode.Conflict && attempt < 5)
            {
                // Usually the controller updated the status since we read it; read again and check it is still free.
                var fresh = await ReadWorkloadAsync(plan.Workload.Kind, ns, name, cancellationToken).ConfigureAwait(false)
                    ?? throw ConnectErrors.NoWorkload(plan.ServiceName, ns, LabelSelectorText.From(plan.Service.Spec.Selector));
                if (TakeoverRecord.Parse(fresh.Metadata.Annotations?.TryGetValue(TakeoverNames.RecordAnnotation, out var other) == true ? other : null) is { } taken)
                {
                    throw ConnectErrors.AlreadyConnected(plan.ServiceName, taken.Owner, taken.StartedAt, taken.Session);
                }

                plan = plan with { Workload = fresh };
            }
        }
    }

    /// <summary>
    /// Isolated: creates the child space's own version of the Service, selecting the session's agent pods, so the
    /// root's router sends the child's requests to it. Called once the agent is ready, so the child's requests never
    /// meet a Service without endpoints. Owned by the session Secret (read here for its uid).
    /// </summary>
    public async Task ExposeIsolatedAsync(TakeoverPlan plan, TakeoverRecord record, CancellationToken cancellationToken)
    {
        var ns = plan.SessionNamespace;
        var secretName = TakeoverNames.SessionSecret(plan.Workload.Name);
        var secret = await cluster.CallAsync(
            new ClusterOperation("get", "secrets", secretName, ns),
            (c, ct) => c.CoreV1.ReadNamespacedSecretAsync(secretName, ns, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        var owner = new V1OwnerReference { ApiVersion = "v1", Kind = "Secret", Name = secret.Metadata.Name, Uid = secret.Metadata.Uid };
        await cluster.CallAsync(
            new ClusterOperation("create", "services", plan.ServiceName, ns),
            (c, ct) => c.CoreV1.CreateNamespacedServiceAsync(AgentManifests.IsolatedService(plan, record.Session, owner), ns, cancellationToken: ct),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The session record as the cluster has it now: on the workload, or for an isolated session in its Secret in the
    /// child space. Null when it is gone (the session was restored).
    /// </summary>
    public async Task<TakeoverRecord?> ReadSessionRecordAsync(TakeoverPlan plan, CancellationToken cancellationToken)
    {
        if (plan.IsolatedIn is { } ns)
        {
            var name = TakeoverNames.SessionSecret(plan.Workload.Name);
            var secret = await cluster.TryCallAsync(
                new ClusterOperation("get", "secrets", name, ns),
                (c, ct) => c.CoreV1.ReadNamespacedSecretAsync(name, ns, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
            return secret?.Metadata.DeletionTimestamp is null && secret?.Data?.TryGetValue(TakeoverNames.RecordField, out var bytes) == true
                ? TakeoverRecord.Parse(System.Text.Encoding.UTF8.GetString(bytes))
                : null;
        }

        var workload = await ReadWorkloadAsync(plan.Workload.Kind, plan.Namespace, plan.Workload.Name, cancellationToken).ConfigureAwait(false);
        return workload is null ? null : RecordOf(workload.Metadata);
    }

    /// <summary>
    /// The record on the Service whose selector the session will change, guarded by the
    /// resourceVersion read: a concurrent change of the Service makes us read it again, and someone else's session
    /// there is refused.
    /// </summary>
    private async Task RecordOnServiceAsync(TakeoverPlan plan, TakeoverRecord record, CancellationToken cancellationToken)
    {
        var service = plan.Service;
        for (var attempt = 1; ; attempt++)
        {
            if (RecordOf(service.Metadata) is { } taken && taken.Session != record.Session)
            {
                throw ConnectErrors.AlreadyConnected(plan.ServiceName, taken.Owner, taken.StartedAt, taken.Session);
            }

            if (attempt > 1 && !SameSelector(service.Spec.Selector, record.ServiceSelector!))
            {
                throw ConnectErrors.SelectorChanged(plan.ServiceName);
            }

            var annotate = new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["resourceVersion"] = service.Metadata.ResourceVersion,
                    ["annotations"] = new JsonObject { [TakeoverNames.RecordAnnotation] = record.ToJson() },
                },
            };
            try
            {
                await cluster.CallAsync(
                    new ClusterOperation("patch", "services", plan.ServiceName, plan.Namespace),
                    (c, ct) => c.CoreV1.PatchNamespacedServiceAsync(new V1Patch(annotate.ToJsonString(), V1Patch.PatchType.MergePatch), plan.ServiceName, plan.Namespace, cancellationToken: ct),
                    cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Errors.DevSpacesException e) when (e.ErrorCode == Contracts.RpcErrorCode.Conflict && attempt < 5)
            {
                service = await cluster.CallAsync(
                    new ClusterOperation("get", "services", plan.ServiceName, plan.Namespace),
                    (c, ct) => c.CoreV1.ReadNamespacedServiceAsync(plan.ServiceName, plan.Namespace, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static bool SameSelector(IDictionary<string, string>? a, IReadOnlyDictionary<string, string> b) =>
        (a?.Count ?? 0) == b.Count && b.All(p => a != null && a.TryGetValue(p.Key, out var v) && v == p.Value);

    /// <summary>
    /// Points the Service's selector at the session's agent pods only (the original pods keep running, unselected, until
    /// they are scaled down). Called once the agent is ready, so the Service is never without ready endpoints; guarded by
    /// the record on the Service being this session's.
    /// </summary>
    public async Task PointServiceAtAgentAsync(TakeoverPlan plan, TakeoverRecord record, CancellationToken cancellationToken)
    {
        var service = await cluster.CallAsync(
            new ClusterOperation("get", "services", plan.ServiceName, plan.Namespace),
            (c, ct) => c.CoreV1.ReadNamespacedServiceAsync(plan.ServiceName, plan.Namespace, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        if (RecordOf(service.Metadata) is not { } onService || onService.Session != record.Session)
        {
            throw ConnectErrors.SelectorChanged(plan.ServiceName);
        }

        var selector = new JsonObject();
        foreach (var key in service.Spec.Selector?.Keys ?? [])
        {
            selector[key] = null;
        }

        selector[TakeoverNames.SessionLabel] = record.Session;
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["resourceVersion"] = service.Metadata.ResourceVersion },
            ["spec"] = new JsonObject { ["selector"] = selector },
        };
        await cluster.CallAsync(
            new ClusterOperation("patch", "services", plan.ServiceName, plan.Namespace),
            (c, ct) => c.CoreV1.PatchNamespacedServiceAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), plan.ServiceName, plan.Namespace, cancellationToken: ct),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Scales the original to 0, once the Service's endpoints are the agent's and kube-proxy has applied them (the caller
    /// waits for both): from here on its pods receive no new connections, so terminating them fails nothing.
    /// </summary>
    public Task ScaleDownOriginalAsync(TakeoverPlan plan, CancellationToken cancellationToken) =>
        PatchWorkloadAsync(plan, """{"spec":{"replicas":0}}""", cancellationToken);

    /// <summary>Undoes a takeover of a Deployment (see <see cref="WorkloadRestorer"/>); harmless when nothing is left to undo.</summary>
    public Task<IReadOnlyList<string>> RestoreAsync(string ns, string deployment, string? session, CancellationToken cancellationToken) =>
        RestoreAsync(ns, deployment, session, null, cancellationToken);

    /// <summary>Undoes a takeover of a Deployment; <paramref name="service"/> is checked for a changed selector even without a record on the Deployment.</summary>
    public Task<IReadOnlyList<string>> RestoreAsync(string ns, string deployment, string? session, string? service, CancellationToken cancellationToken) =>
        RestoreAsync(TakeoverNames.DeploymentKind, ns, deployment, session, service, cancellationToken);

    /// <summary>
    /// Undoes the takeover <paramref name="plan"/> describes (of <paramref name="session"/>, or of any session when null);
    /// <paramref name="routeLeftAgent"/>, when there is a tunnel to the agent, tells when kube-proxy has moved the
    /// Service's new connections away from it (see <see cref="WorkloadRestorer"/>).
    /// </summary>
    public Task<IReadOnlyList<string>> RestoreAsync(TakeoverPlan plan, string? session, CancellationToken cancellationToken, Func<string, int, TimeSpan, CancellationToken, Task<bool>>? routeLeftAgent = null) =>
        RestoreAsync(plan.Workload.Kind, plan.SessionNamespace, plan.Workload.Name, session, plan.ServiceName, cancellationToken, routeLeftAgent);

    private Task<IReadOnlyList<string>> RestoreAsync(string kind, string ns, string workload, string? session, string? service, CancellationToken cancellationToken, Func<string, int, TimeSpan, CancellationToken, Task<bool>>? routeLeftAgent = null) =>
        cluster.CallAsync(
            new ClusterOperation("patch", Workload.ResourceOf(kind), workload, ns),
            (c, ct) => new WorkloadRestorer(c, kind, routeLeftAgent: routeLeftAgent).RestoreAsync(ns, workload, session, service, ct),
            cancellationToken);
}
