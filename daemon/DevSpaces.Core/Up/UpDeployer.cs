using System.Security.Cryptography;
using DevSpaces.Contracts;
using DevSpaces.Core.Cluster;
using DevSpaces.Core.Errors;
using k8s;
using k8s.Models;

namespace DevSpaces.Core.Up;

/// <summary>
/// The cluster side of <c>up</c> and <c>down</c> for one service in one space: records what is there before anything
/// changes, applies the manifests (server-side apply, so a second <c>up</c> or one after a crash converges on the same
/// objects), waits for the rollout, and undoes exactly what was recorded.
/// </summary>
public sealed class UpDeployer(ClusterConnection cluster)
{
    /// <summary>How often the rollout is looked at while waiting.</summary>
    public static TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(400);

    private static readonly HashSet<string> FatalWaitingReasons = new(StringComparer.Ordinal)
    {
        "ErrImagePull", "ImagePullBackOff", "ErrImageNeverPull", "InvalidImageName", "CreateContainerConfigError", "CreateContainerError", "CrashLoopBackOff",
    };

    /// <summary>The helper's session key: the one in the space's Secret, or a new one stored there.</summary>
    public async Task<string> EnsureKeyAsync(string ns, string service, CancellationToken cancellationToken)
    {
        var name = UpLabels.KeySecret(service);
        var existing = await cluster.TryCallAsync(new ClusterOperation("read", "secrets", name, ns), (k, ct) => k.CoreV1.ReadNamespacedSecretAsync(name, ns, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        if (existing?.Data?.TryGetValue(UpLabels.KeySecretKey, out var bytes) == true && bytes.Length > 0)
        {
            return System.Text.Encoding.UTF8.GetString(bytes);
        }

        var key = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
        var secret = new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { [UpLabels.Service] = service } },
            StringData = new Dictionary<string, string> { [UpLabels.KeySecretKey] = key },
        };
        await cluster.CallAsync(new ClusterOperation("create", "secrets", name, ns), (k, ct) => existing == null
            ? k.CoreV1.CreateNamespacedSecretAsync(secret, ns, cancellationToken: ct)
            : k.CoreV1.ReplaceNamespacedSecretAsync(Merge(secret, existing), name, ns, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        return key;

        static V1Secret Merge(V1Secret secret, V1Secret existing)
        {
            secret.Metadata.ResourceVersion = existing.Metadata.ResourceVersion;
            return secret;
        }
    }

    /// <summary>Records what each object was (before its first <c>up</c>), then applies them all.</summary>
    public async Task ApplyAsync(string ns, string service, UpManifests manifests, CancellationToken cancellationToken)
    {
        var (record, recordMap) = await ReadRecordAsync(ns, service, cancellationToken).ConfigureAwait(false);
        var before = record;
        foreach (var item in manifests.Objects)
        {
            var kind = ObjectKinds.Find(item.ApiVersion, item.Kind)!;
            if (record.Find(kind.Kind, item.Name()) != null)
            {
                continue;
            }

            var current = await cluster.TryCallAsync(new ClusterOperation("read", kind.Plural, item.Name(), ns), (k, ct) => kind.Read(k, ns, item.Name(), ct), cancellationToken).ConfigureAwait(false);
            var ours = current != null && IsOurs(current, service);
            record = record.With(new UpRecordEntry(kind.Kind, item.Name(), current == null || ours ? null : UpRecord.Original(current)));
        }

        if (!ReferenceEquals(record, before) || recordMap == null)
        {
            await WriteRecordAsync(ns, service, record, recordMap, cancellationToken).ConfigureAwait(false);
        }

        foreach (var item in manifests.Objects)
        {
            var kind = ObjectKinds.Find(item.ApiVersion, item.Kind)!;
            if (SelectorOf(item) != null && record.Find(kind.Kind, item.Name())?.Original != null)
            {
                // A workload of the space's own that up replaces is created anew from the manifest: applied over it,
                // the fields its other managers own would stay (a second probe handler, an immutable selector).
                var current = await cluster.TryCallAsync(new ClusterOperation("read", kind.Plural, item.Name(), ns), (k, ct) => kind.Read(k, ns, item.Name(), ct), cancellationToken).ConfigureAwait(false);
                if (current != null && !IsOurs(current, service))
                {
                    var name = item.Name();
                    await cluster.CallAsync(new ClusterOperation("delete", kind.Plural, name, ns), (k, ct) => kind.Delete(k, ns, name, ct), cancellationToken).ConfigureAwait(false);
                }
            }

            var patch = new V1Patch(KubernetesJson.Serialize(item), V1Patch.PatchType.ApplyPatch);
            await cluster.CallAsync(new ClusterOperation("apply", kind.Plural, item.Name(), ns), (k, ct) => kind.Apply(k, patch, ns, item.Name(), ct), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Waits until the workload runs its current template on every replica and returns the newest ready pod. A pod
    /// that cannot start (image not found, crash loop, bad config) ends the wait at once with its reason.
    /// <paramref name="started"/> hears of the newest pod as soon as it has an address, before it is ready.
    /// </summary>
    public async Task<V1Pod> WaitReadyAsync(string ns, UpManifests manifests, TimeSpan timeout, Action<string>? progress, CancellationToken cancellationToken, Action<V1Pod>? started = null)
    {
        var name = manifests.Workload.Name();
        var selector = string.Join(",", manifests.Selector.Select(p => $"{p.Key}={p.Value}"));
        var deadline = DateTimeOffset.UtcNow + timeout;
        string? last = null;
        string? startedPod = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (done, state) = await RolloutStateAsync(ns, manifests.Workload, cancellationToken).ConfigureAwait(false);
            var pods = await cluster.CallAsync(new ClusterOperation("list", "pods", null, ns), (k, ct) => k.CoreV1.ListNamespacedPodAsync(ns, labelSelector: selector, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
            var live = pods.Items.Where(p => p.Metadata.DeletionTimestamp == null).ToList();

            // The newest pod has an address once its sandbox runs: it can be reached before it is ready.
            if (started != null && live.Where(p => !string.IsNullOrEmpty(p.Status?.PodIP)).MaxBy(p => p.Metadata.CreationTimestamp) is { } newest && newest.Name() != startedPod)
            {
                startedPod = newest.Name();
                started(newest);
            }

            if (done)
            {
                var ready = live.Where(IsReady).OrderByDescending(p => p.Metadata.CreationTimestamp).FirstOrDefault();
                if (ready != null)
                {
                    return ready;
                }
            }

            foreach (var pod in live)
            {
                foreach (var status in (pod.Status?.InitContainerStatuses ?? []).Concat(pod.Status?.ContainerStatuses ?? []))
                {
                    if (status.State?.Waiting is { } waiting && FatalWaitingReasons.Contains(waiting.Reason ?? ""))
                    {
                        throw new DevSpacesException(
                            RpcErrorCode.UpNotReady,
                            $"{manifests.Workload.Kind}/{name} in '{ns}' cannot start: pod {pod.Name()}, container {status.Name}: {waiting.Reason}{(string.IsNullOrEmpty(waiting.Message) ? "" : $": {FirstLine(waiting.Message)}")}.",
                            waiting.Reason == "CrashLoopBackOff"
                                ? $"The app exits at start; its log shows why (kubectl logs -n {ns} {pod.Name()} -c {status.Name} --previous)."
                                : "Check the image name and that the cluster can reach it, and the container's configuration.");
                    }
                }
            }

            if (state != last)
            {
                progress?.Invoke(state);
                last = state;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new DevSpacesException(
                    RpcErrorCode.UpNotReady,
                    $"{manifests.Workload.Kind}/{name} in '{ns}' was not ready after {timeout.TotalSeconds:0} s ({state}).",
                    $"See why with: kubectl describe pods -n {ns} -l {selector}");
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Deletes what <c>up</c> created and puts back what it replaced; returns what it did, one line per object.</summary>
    public async Task<IReadOnlyList<string>> DownAsync(string ns, string service, CancellationToken cancellationToken)
    {
        var (record, recordMap) = await ReadRecordAsync(ns, service, cancellationToken).ConfigureAwait(false);
        var done = new List<string>();
        var entries = record.Objects.ToList();

        // Without a record (deleted by hand), whatever carries the service's label is what up created.
        if (recordMap == null)
        {
            foreach (var kind in ObjectKinds.All)
            {
                var labelled = await cluster.CallAsync(new ClusterOperation("list", kind.Plural, null, ns), (k, ct) => kind.List(k, ns, $"{UpLabels.Service}={service}", ct), cancellationToken).ConfigureAwait(false);
                entries.AddRange(labelled.Where(o => o.Name() != UpLabels.KeySecret(service) || kind.Kind != "Secret").Select(o => new UpRecordEntry(kind.Kind, o.Name(), null)));
            }

            if (entries.Count == 0)
            {
                throw new DevSpacesException(RpcErrorCode.UpNotFound, $"'{service}' is not up in the space '{ns}': nothing to remove.", "devspaces up deploys it; `devspaces space list` shows the spaces.");
            }
        }

        foreach (var entry in Enumerable.Reverse(entries))
        {
            var kind = ObjectKinds.ByKind(entry.Kind);
            if (entry.Original == null)
            {
                var deleted = await cluster.TryCallAsync(new ClusterOperation("delete", kind.Plural, entry.Name, ns), async (k, ct) =>
                {
                    await kind.Delete(k, ns, entry.Name, ct).ConfigureAwait(false);
                    return "deleted";
                }, cancellationToken).ConfigureAwait(false);
                if (deleted != null)
                {
                    done.Add($"deleted {kind.Describe(entry.Name)}");
                }

                continue;
            }

            var original = Deserialize(kind, entry.Original);
            var current = await cluster.TryCallAsync(new ClusterOperation("read", kind.Plural, entry.Name, ns), (k, ct) => kind.Read(k, ns, entry.Name, ct), cancellationToken).ConfigureAwait(false);
            if (current == null)
            {
                continue;
            }

            if (await DeleteIfSelectorDiffersAsync(kind, ns, current, original, cancellationToken).ConfigureAwait(false))
            {
                var patch = new V1Patch(entry.Original, V1Patch.PatchType.ApplyPatch);
                await cluster.CallAsync(new ClusterOperation("restore", kind.Plural, entry.Name, ns), (k, ct) => kind.Apply(k, patch, ns, entry.Name, ct), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                original.Metadata.ResourceVersion = current.Metadata.ResourceVersion;
                await cluster.CallAsync(new ClusterOperation("restore", kind.Plural, entry.Name, ns), (k, ct) => kind.Replace(k, original, ns, ct), cancellationToken).ConfigureAwait(false);
            }

            done.Add($"restored {kind.Describe(entry.Name)}");
        }

        foreach (var (kind, name) in new[] { ("Secret", UpLabels.KeySecret(service)), ("ConfigMap", UpLabels.Record(service)) })
        {
            var objectKind = ObjectKinds.ByKind(kind);
            await cluster.TryCallAsync(new ClusterOperation("delete", objectKind.Plural, name, ns), async (k, ct) =>
            {
                await objectKind.Delete(k, ns, name, ct).ConfigureAwait(false);
                return "deleted";
            }, cancellationToken).ConfigureAwait(false);
        }

        return done;
    }

    private static bool IsOurs(IKubernetesObject<V1ObjectMeta> item, string service) =>
        item.Metadata.Labels?.TryGetValue(UpLabels.Service, out var owner) == true && owner == service;

    /// <summary>
    /// A workload's selector cannot change: when <paramref name="current"/> selects other pods than <paramref name="wanted"/>
    /// (down putting back the space's own Deployment of that name), it is deleted so that applying <paramref name="wanted"/>
    /// creates it anew. True when it was deleted.
    /// </summary>
    private async Task<bool> DeleteIfSelectorDiffersAsync(ObjectKind kind, string ns, IKubernetesObject<V1ObjectMeta>? current, IKubernetesObject<V1ObjectMeta> wanted, CancellationToken cancellationToken)
    {
        if (current == null || SelectorOf(current) is not { } have || SelectorOf(wanted) is not { } want || Describe(have) == Describe(want))
        {
            return false;
        }

        var name = current.Name();
        await cluster.CallAsync(new ClusterOperation("delete", kind.Plural, name, ns), (k, ct) => kind.Delete(k, ns, name, ct), cancellationToken).ConfigureAwait(false);
        return true;

        static string Describe(V1LabelSelector selector) =>
            string.Join(",", (selector.MatchLabels ?? new Dictionary<string, string>()).OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"))
            + KubernetesJson.Serialize(selector.MatchExpressions ?? []);
    }

    private static V1LabelSelector? SelectorOf(IKubernetesObject<V1ObjectMeta> item) => item switch
    {
        V1Deployment d => d.Spec?.Selector,
        V1StatefulSet s => s.Spec?.Selector,
        _ => null,
    };

    private static IKubernetesObject<V1ObjectMeta> Deserialize(ObjectKind kind, string json) => kind.Kind switch
    {
        "ConfigMap" => KubernetesJson.Deserialize<V1ConfigMap>(json),
        "Secret" => KubernetesJson.Deserialize<V1Secret>(json),
        "ServiceAccount" => KubernetesJson.Deserialize<V1ServiceAccount>(json),
        "PersistentVolumeClaim" => KubernetesJson.Deserialize<V1PersistentVolumeClaim>(json),
        "Service" => KubernetesJson.Deserialize<V1Service>(json),
        "Deployment" => KubernetesJson.Deserialize<V1Deployment>(json),
        "StatefulSet" => KubernetesJson.Deserialize<V1StatefulSet>(json),
        "Ingress" => KubernetesJson.Deserialize<V1Ingress>(json),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind.Kind, null),
    };

    private async Task<(bool Done, string State)> RolloutStateAsync(string ns, IKubernetesObject<V1ObjectMeta> workload, CancellationToken cancellationToken)
    {
        var name = workload.Name();
        if (workload is V1Deployment)
        {
            var d = await cluster.CallAsync(new ClusterOperation("read", "deployments", name, ns), (k, ct) => k.AppsV1.ReadNamespacedDeploymentAsync(name, ns, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
            var want = d.Spec.Replicas ?? 1;
            var s = d.Status;
            var done = s != null && (s.ObservedGeneration ?? 0) >= (d.Metadata.Generation ?? 0)
                && (s.UpdatedReplicas ?? 0) == want && (s.Replicas ?? 0) == want && (s.AvailableReplicas ?? 0) == want;
            return (done, $"{s?.UpdatedReplicas ?? 0} of {want} updated, {s?.AvailableReplicas ?? 0} available");
        }

        var set = await cluster.CallAsync(new ClusterOperation("read", "statefulsets", name, ns), (k, ct) => k.AppsV1.ReadNamespacedStatefulSetAsync(name, ns, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        var wanted = set.Spec.Replicas ?? 1;
        var st = set.Status;
        var rolled = st != null && (st.ObservedGeneration ?? 0) >= (set.Metadata.Generation ?? 0)
            && st.UpdateRevision == st.CurrentRevision && st.ReadyReplicas == wanted;
        return (rolled, $"{st?.ReadyReplicas ?? 0}/{wanted} ready");
    }

    private static bool IsReady(V1Pod pod) =>
        pod.Status?.Phase == "Running" && pod.Status.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    private async Task<(UpRecord Record, V1ConfigMap? Map)> ReadRecordAsync(string ns, string service, CancellationToken cancellationToken)
    {
        var name = UpLabels.Record(service);
        var map = await cluster.TryCallAsync(new ClusterOperation("read", "configmaps", name, ns), (k, ct) => k.CoreV1.ReadNamespacedConfigMapAsync(name, ns, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        return (UpRecord.Parse(map?.Data != null && map.Data.TryGetValue(UpRecord.DataKey, out var json) ? json : null), map);
    }

    private async Task WriteRecordAsync(string ns, string service, UpRecord record, V1ConfigMap? existing, CancellationToken cancellationToken)
    {
        var name = UpLabels.Record(service);
        var map = new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { [UpLabels.Service] = service }, ResourceVersion = existing?.Metadata.ResourceVersion },
            Data = new Dictionary<string, string> { [UpRecord.DataKey] = record.Serialize() },
        };
        await cluster.CallAsync(new ClusterOperation(existing == null ? "create" : "update", "configmaps", name, ns), (k, ct) => existing == null
            ? k.CoreV1.CreateNamespacedConfigMapAsync(map, ns, cancellationToken: ct)
            : k.CoreV1.ReplaceNamespacedConfigMapAsync(map, name, ns, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
