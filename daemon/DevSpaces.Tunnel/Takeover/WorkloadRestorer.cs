using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace DevSpaces.Tunnel.Takeover;

/// <summary>
/// Puts a taken-over workload (Deployment or StatefulSet) back as its record says (replicas, or the Service's selector when the original kept
/// running) and removes the session's objects. Safe to run any number
/// of times, from the daemon, from the agent (with its namespace-scoped Role) or from a later run.
/// </summary>
/// <param name="client">The API client (the agent's has only its namespace-scoped Role).</param>
/// <param name="kind">The workload's kind: <see cref="TakeoverNames.DeploymentKind"/> or <see cref="TakeoverNames.StatefulSetKind"/>.</param>
public sealed class WorkloadRestorer(IKubernetes client, string kind = TakeoverNames.DeploymentKind)
{
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
        var metadata = await ReadMetadataAsync(ns, workload, cancellationToken).ConfigureAwait(false);
        var text = metadata?.Annotations?.TryGetValue(TakeoverNames.RecordAnnotation, out var value) == true ? value : null;
        var record = TakeoverRecord.Parse(text);
        if (session != null && record != null && record.Session != session)
        {
            done.Add($"{what} {workload} belongs to another session ({record.Owner}); left alone");
            return done;
        }

        // The Service first: when the original kept running, traffic goes back to it before the agent goes away.
        if (record?.ServiceSelector != null)
        {
            done.AddRange(await RestoreSelectorAsync(ns, record.Service, record.Session, record.ServiceSelector, cancellationToken).ConfigureAwait(false));
        }
        else if (record == null && service != null)
        {
            done.AddRange(await RestoreSelectorAsync(ns, service, session, null, cancellationToken).ConfigureAwait(false));

            // An isolated session's own Service in the child space goes first, so the router sends that space's
            // requests back to the parent's version before the agent goes away.
            done.AddRange(await DeleteIsolatedServiceAsync(ns, service, session, cancellationToken).ConfigureAwait(false));
        }

        if (metadata != null && text != null)
        {
            // One merge patch: the replicas come back and the record goes in the same step. A session that kept the
            // original running never changed the replicas, and a scale made meanwhile is left as it is.
            var patch = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [TakeoverNames.RecordAnnotation] = null } } };
            if (record is { KeepsOriginal: false })
            {
                patch["spec"] = new JsonObject { ["replicas"] = record.Replicas };
            }

            var merge = new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch);
            if (kind == TakeoverNames.StatefulSetKind)
            {
                await TryAsync(() => client.AppsV1.PatchNamespacedStatefulSetAsync(merge, workload, ns, cancellationToken: cancellationToken)).ConfigureAwait(false);
            }
            else
            {
                await TryAsync(() => client.AppsV1.PatchNamespacedDeploymentAsync(merge, workload, ns, cancellationToken: cancellationToken)).ConfigureAwait(false);
            }

            done.Add(record switch
            {
                null => $"removed an unreadable record from {what} {workload}",
                { KeepsOriginal: true } => $"removed the record from {what} {workload} (its {record.Replicas} replicas kept running)",
                _ => $"{what} {workload} scaled back to {record.Replicas}",
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
    /// Puts the Service's selector back as the record on the Service says and removes that record, guarded by the
    /// resourceVersion read, so a concurrent edit makes us read again rather than overwrite it.
    /// </summary>
    private async Task<IReadOnlyList<string>> RestoreSelectorAsync(string ns, string name, string? session, IReadOnlyDictionary<string, string>? recorded, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var service = await TryAsync(() => client.CoreV1.ReadNamespacedServiceAsync(name, ns, cancellationToken: cancellationToken)).ConfigureAwait(false);
            var text = service?.Metadata.Annotations?.TryGetValue(TakeoverNames.RecordAnnotation, out var value) == true ? value : null;
            var onService = TakeoverRecord.Parse(text);
            if (service == null || text == null)
            {
                // Not changed yet (or already restored): nothing to put back.
                return [];
            }

            if (onService != null && session != null && onService.Session != session)
            {
                return [$"service {name} belongs to another session ({onService.Owner}); left alone"];
            }

            if ((onService?.ServiceSelector ?? recorded) is not { } original)
            {
                // A record we cannot read and no selector to go back to: leave the Service as it is.
                return [$"service {name} carries an unreadable {TakeoverNames.RecordAnnotation} annotation; left as it is"];
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
                return [$"service {name} selects {string.Join(",", original.Select(p => $"{p.Key}={p.Value}"))} again"];
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict && attempt < 5)
            {
                // Changed since we read it; read again.
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
            {
                return [];
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

    private async Task<V1ObjectMeta?> ReadMetadataAsync(string ns, string name, CancellationToken cancellationToken) =>
        kind == TakeoverNames.StatefulSetKind
            ? (await TryAsync(() => client.AppsV1.ReadNamespacedStatefulSetAsync(name, ns, cancellationToken: cancellationToken)).ConfigureAwait(false))?.Metadata
            : (await TryAsync(() => client.AppsV1.ReadNamespacedDeploymentAsync(name, ns, cancellationToken: cancellationToken)).ConfigureAwait(false))?.Metadata;

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
