using System.Text;
using k8s;
using k8s.Models;
using DevSpaces.Tunnel.Takeover;

namespace DevSpaces.ClusterTests.Support;

/// <summary>
/// Waits on cluster state through watches, never by sleeping. Every wait has a timeout, and a
/// timeout fails with what was awaited plus what the cluster says is in the way.
/// </summary>
public static class ClusterWaits
{
    public static Task<V1Deployment> DeploymentReadyAsync(Kubernetes client, string ns, string name, TimeSpan timeout) =>
        UntilAsync(
            ct => client.AppsV1.ListNamespacedDeploymentAsync(ns, fieldSelector: $"metadata.name={name}", cancellationToken: ct),
            (version, ct) => client.AppsV1.WatchListNamespacedDeploymentAsync(
                ns, fieldSelector: $"metadata.name={name}", resourceVersion: version, timeoutSeconds: 60, cancellationToken: ct),
            d => d.Status?.ObservedGeneration >= d.Metadata.Generation
                 && (d.Status?.UpdatedReplicas ?? 0) == (d.Spec.Replicas ?? 1)
                 && (d.Status?.AvailableReplicas ?? 0) == (d.Spec.Replicas ?? 1)
                 && (d.Status?.Replicas ?? 0) == (d.Spec.Replicas ?? 1),
            timeout,
            $"deployment {ns}/{name} to become available",
            () => DiagnoseNamespaceAsync(client, ns));

    public static Task<V1Endpoints> EndpointsReadyAsync(Kubernetes client, string ns, string name, TimeSpan timeout) =>
        UntilAsync(
            ct => client.CoreV1.ListNamespacedEndpointsAsync(ns, fieldSelector: $"metadata.name={name}", cancellationToken: ct),
            (version, ct) => client.CoreV1.WatchListNamespacedEndpointsAsync(
                ns, fieldSelector: $"metadata.name={name}", resourceVersion: version, timeoutSeconds: 60, cancellationToken: ct),
            e => e.Subsets?.Any(s => s.Addresses?.Count > 0) == true,
            timeout,
            $"service {ns}/{name} to have a ready endpoint",
            () => DiagnoseNamespaceAsync(client, ns));

    /// <summary>
    /// Re-checks a condition until it holds, for state no watch reports (a socket, a process, an
    /// HTTP answer); fails with what was awaited on timeout.
    /// </summary>
    public static Task ConditionAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> what) =>
        ConditionAsync(condition, timeout, what, () => Task.FromResult(string.Empty));

    /// <summary>As above; on timeout the failure also carries what <paramref name="diagnose"/> finds.</summary>
    public static async Task ConditionAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> what, Func<Task<string>> diagnose)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (!await condition())
        {
            try
            {
                await Task.Delay(100, cts.Token);
            }
            catch (OperationCanceledException)
            {
                var diagnosis = await diagnose();
                Assert.Fail($"Timed out after {timeout.TotalSeconds:0} s waiting until {what()}.{(diagnosis.Length > 0 ? "\n" + diagnosis : "")}");
            }
        }
    }

    /// <summary>Lists, then watches from the listed version until an item meets the condition.</summary>
    public static async Task<T> UntilAsync<T, TList>(
        Func<CancellationToken, Task<TList>> list,
        Func<string, CancellationToken, IAsyncEnumerable<(WatchEventType, T)>> watch,
        Func<T, bool> condition,
        TimeSpan timeout,
        string what,
        Func<Task<string>> diagnose)
        where T : IKubernetesObject<V1ObjectMeta>
        where TList : IKubernetesObject<V1ListMeta>, IItems<T>
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var listed = await list(cts.Token);
                var match = listed.Items.FirstOrDefault(condition);
                if (match is not null)
                {
                    return match;
                }

                await foreach (var (type, item) in watch(listed.Metadata.ResourceVersion, cts.Token))
                {
                    if (type is WatchEventType.Added or WatchEventType.Modified && condition(item))
                    {
                        return item;
                    }
                }

                // The server ended the watch (its own timeout); list again and carry on.
            }
        }
        catch (Exception e) when (cts.IsCancellationRequested && e is OperationCanceledException or IOException or HttpRequestException)
        {
            string diagnosis;
            try
            {
                diagnosis = await diagnose();
            }
            catch (Exception inner)
            {
                diagnosis = $"(could not read the cluster's state: {inner.Message})";
            }

            Assert.Fail($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}.\n{diagnosis}");
            throw;
        }
    }

    /// <summary>Node health, pod states and recent events of a namespace, for failure messages.</summary>
    public static async Task<string> DiagnoseNamespaceAsync(Kubernetes client, string ns)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var text = new StringBuilder();
        var nodes = await client.CoreV1.ListNodeAsync(cancellationToken: cts.Token);
        foreach (var node in nodes.Items)
        {
            var ready = node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");
            text.AppendLine($"node {node.Metadata.Name}: Ready={ready?.Status} {ready?.Reason} {ready?.Message}".TrimEnd());
        }

        var leases = await client.CoordinationV1.ListNamespacedLeaseAsync("kube-node-lease", cancellationToken: cts.Token);
        foreach (var lease in leases.Items)
        {
            var age = DateTime.UtcNow - (lease.Spec.RenewTime ?? DateTime.MinValue);
            if (age > TimeSpan.FromSeconds(30))
            {
                text.AppendLine($"the kubelet of node {lease.Metadata.Name} last reported {age.TotalSeconds:0} s ago: it is not running or cannot reach the API server");
            }
        }

        var pods = await client.CoreV1.ListNamespacedPodAsync(ns, cancellationToken: cts.Token);
        foreach (var pod in pods.Items)
        {
            text.Append($"pod {pod.Metadata.Name}: {pod.Status?.Phase}");
            foreach (var condition in pod.Status?.Conditions?.Where(c => c.Status != "True") ?? [])
            {
                text.Append($"; {condition.Type}=False {condition.Reason} {condition.Message}".TrimEnd());
            }

            foreach (var container in pod.Status?.ContainerStatuses ?? [])
            {
                if (container.State?.Waiting is { } waiting)
                {
                    text.Append($"; {container.Name} waiting: {waiting.Reason} {waiting.Message}".TrimEnd());
                }
                else if (container.State?.Terminated is { } terminated)
                {
                    text.Append($"; {container.Name} terminated: {terminated.Reason} exit {terminated.ExitCode} {terminated.Message}".TrimEnd());
                }
            }

            text.AppendLine();
        }

        foreach (var pod in pods.Items.Where(p => p.Metadata.Name.Contains(TakeoverNames.AgentSuffix, StringComparison.Ordinal)))
        {
            text.AppendLine($"last lines of {pod.Metadata.Name}:");
            text.AppendLine(await PodLogTailAsync(client, ns, pod.Metadata.Name, cts.Token));
        }

        var events = await client.CoreV1.ListNamespacedEventAsync(ns, cancellationToken: cts.Token);
        foreach (var e in events.Items.OrderByDescending(e => e.LastTimestamp ?? e.EventTime ?? DateTime.MinValue).Take(10).Reverse())
        {
            text.AppendLine($"event {e.InvolvedObject.Kind}/{e.InvolvedObject.Name}: {e.Type} {e.Reason}: {e.Message}");
        }

        return text.ToString();
    }

    private static async Task<string> PodLogTailAsync(Kubernetes client, string ns, string pod, CancellationToken cancellationToken)
    {
        try
        {
            await using var log = await client.CoreV1.ReadNamespacedPodLogAsync(pod, ns, tailLines: 30, cancellationToken: cancellationToken);
            using var reader = new StreamReader(log);
            return await reader.ReadToEndAsync(cancellationToken);
        }
        catch (Exception e) when (e is k8s.Autorest.HttpOperationException or HttpRequestException or OperationCanceledException)
        {
            return $"(its log could not be read: {e.Message})";
        }
    }
}
