using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace DevSpaces.Tunnel.Takeover;

/// <summary>
/// Puts a taken-over Deployment back as its record says and removes the session's objects. Safe to run any number
/// of times, from the daemon, from the agent (with its namespace-scoped Role) or from a later run.
/// </summary>
public sealed class WorkloadRestorer(IKubernetes client)
{
    /// <summary>
    /// Restores <paramref name="deployment"/> in <paramref name="ns"/>. With <paramref name="session"/> set, only
    /// that session's takeover is undone (a newer session by someone else is left alone).
    /// Returns what was done, for logs.
    /// </summary>
    public async Task<IReadOnlyList<string>> RestoreAsync(string ns, string deployment, string? session, CancellationToken cancellationToken)
    {
        var done = new List<string>();
        var workload = await TryAsync(() => client.AppsV1.ReadNamespacedDeploymentAsync(deployment, ns, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var text = workload?.Metadata.Annotations?.TryGetValue(TakeoverNames.RecordAnnotation, out var value) == true ? value : null;
        var record = TakeoverRecord.Parse(text);
        if (session != null && record != null && record.Session != session)
        {
            done.Add($"deployment {deployment} belongs to another session ({record.Owner}); left alone");
            return done;
        }

        if (workload != null && text != null)
        {
            // One merge patch: the replicas come back and the record goes in the same step.
            var patch = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [TakeoverNames.RecordAnnotation] = null } } };
            if (record != null)
            {
                patch["spec"] = new JsonObject { ["replicas"] = record.Replicas };
            }

            await TryAsync(() => client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), deployment, ns, cancellationToken: cancellationToken)).ConfigureAwait(false);
            done.Add(record == null ? $"removed an unreadable record from deployment {deployment}" : $"deployment {deployment} scaled back to {record.Replicas}");
        }

        var background = new V1DeleteOptions { PropagationPolicy = "Background" };
        if (await TryAsync(() => client.AppsV1.DeleteNamespacedDeploymentAsync(TakeoverNames.Agent(deployment), ns, background, cancellationToken: cancellationToken)).ConfigureAwait(false) != null)
        {
            done.Add($"deleted agent deployment {TakeoverNames.Agent(deployment)}");
        }

        // The Secret owns the ServiceAccount, Role and RoleBinding: the garbage collector removes them with it.
        if (await TryAsync(() => client.CoreV1.DeleteNamespacedSecretAsync(TakeoverNames.SessionSecret(deployment), ns, background, cancellationToken: cancellationToken)).ConfigureAwait(false) != null)
        {
            done.Add($"deleted session secret {TakeoverNames.SessionSecret(deployment)}");
        }

        return done;
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
