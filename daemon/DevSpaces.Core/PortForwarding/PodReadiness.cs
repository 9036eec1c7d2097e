using k8s.Models;

namespace DevSpaces.Core.PortForwarding;

/// <summary>Decides whether a pod can take forwarded connections, and says why not in words a user can act on.</summary>
public static class PodReadiness
{
    public static bool IsReady(V1Pod pod) =>
        pod.Metadata.DeletionTimestamp is null
        && pod.Status?.Phase == "Running"
        && pod.Status.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    /// <summary>Why this pod is not ready, e.g. <c>pod api-1: CrashLoopBackOff (container api restarted 4 times…)</c>.</summary>
    public static string DescribeNotReady(V1Pod pod)
    {
        var name = pod.Metadata.Name;
        if (pod.Metadata.DeletionTimestamp is not null)
        {
            return $"pod {name}: terminating";
        }

        var status = pod.Status;
        foreach (var container in status?.ContainerStatuses ?? [])
        {
            var waiting = container.State?.Waiting;
            if (waiting is not null && waiting.Reason is not null and not "ContainerCreating" and not "PodInitializing")
            {
                var last = container.LastState?.Terminated;
                var detail = last is null ? waiting.Message : $"last exit code {last.ExitCode}{(last.Reason is null ? "" : $" ({last.Reason})")}";
                return $"pod {name}: {waiting.Reason} (container {container.Name} restarted {container.RestartCount} times{(string.IsNullOrEmpty(detail) ? "" : $"; {detail}")})";
            }

            if (container.State?.Terminated is { } terminated)
            {
                return $"pod {name}: container {container.Name} exited with code {terminated.ExitCode}";
            }
        }

        var phase = status?.Phase ?? "Unknown";
        var unscheduled = status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled" && c.Status == "False");
        if (unscheduled is not null)
        {
            return $"pod {name}: {phase}, not scheduled ({unscheduled.Reason}: {unscheduled.Message})";
        }

        if (phase == "Running")
        {
            return $"pod {name}: running but its readiness probe does not pass yet";
        }

        var creating = status?.ContainerStatuses?.Select(c => c.State?.Waiting?.Reason).FirstOrDefault(r => r is not null);
        return $"pod {name}: {phase}{(creating is null ? "" : $" ({creating})")}";
    }
}
