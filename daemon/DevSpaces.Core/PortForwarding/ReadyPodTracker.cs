using DevSpaces.Contracts;
using DevSpaces.Core.Logging;
using DevSpaces.Core.Watch;
using k8s;
using k8s.Models;

namespace DevSpaces.Core.PortForwarding;

/// <summary>
/// Keeps track of which ready pod a forward should use, from a list-then-watch of the selected pods (no polling).
/// The current pod stays as long as it is ready; when it goes, another ready pod takes over and the switch is
/// reported.
/// </summary>
public sealed class ReadyPodTracker : IAsyncDisposable
{
    private readonly PodSelection _selection;
    private readonly Action<PortForwardEvent> _report;
    private readonly Func<V1Pod, bool> _usable;
    private readonly Dictionary<string, V1Pod> _pods = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _listed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource<V1Pod> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private V1Pod? _current;
    private string? _lastPodName;
    private string? _lastNotReadyReason;
    private ListWatch<V1Pod>? _watch;

    private ReadyPodTracker(PodSelection selection, Action<PortForwardEvent> report, Func<V1Pod, bool> usable)
    {
        _selection = selection;
        _report = report;
        _usable = usable;
    }

    /// <summary>Lists the pods once and then follows them with a watch until disposed.</summary>
    public static Task<ReadyPodTracker> StartAsync(
        IKubernetes client, PodSelection selection, Action<PortForwardEvent> report, CancellationToken cancellationToken) =>
        StartAsync(PodsOf(client, selection), selection, report, PodReadiness.IsReady, new NullLog(), null, cancellationToken);

    /// <summary>
    /// As above, with what makes a pod usable decided by <paramref name="usable"/> instead of its Ready condition
    /// (for pods whose readiness depends on the connection this tracker is used to open).
    /// </summary>
    public static Task<ReadyPodTracker> StartAsync(
        IKubernetes client, PodSelection selection, Action<PortForwardEvent> report, Func<V1Pod, bool> usable, CancellationToken cancellationToken) =>
        StartAsync(PodsOf(client, selection), selection, report, usable, new NullLog(), null, cancellationToken);

    /// <summary>
    /// Follows the pods <paramref name="pods"/> gives (the <paramref name="selection"/> names them in messages). The
    /// first list's failure is thrown; later failures are retried while the current pod stays.
    /// </summary>
    public static async Task<ReadyPodTracker> StartAsync(
        IWatchSource<V1Pod> pods, PodSelection selection, Action<PortForwardEvent> report, Func<V1Pod, bool> usable, ILog log, WatchBackoff? backoff, CancellationToken cancellationToken)
    {
        var tracker = new ReadyPodTracker(selection, report, usable);
        tracker._watch = ListWatch<V1Pod>.Start($"pods of {selection}", pods, new WatchHandlers<V1Pod>(tracker.OnListedAsync, tracker.OnChangedAsync, tracker.OnFailedAsync), log, backoff);
        try
        {
            await tracker._listed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await tracker.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return tracker;
    }

    /// <summary>The pod new connections go to, or null while none is ready.</summary>
    public V1Pod? Current
    {
        get
        {
            lock (_lock)
            {
                return _current;
            }
        }
    }

    /// <summary>Why no pod is ready (pending, crash-looping, none matching), for error messages.</summary>
    public string DescribeWhyNoPodIsReady()
    {
        lock (_lock)
        {
            return DescribeLocked();
        }
    }

    /// <summary>Waits for a ready pod; returns at once when there is one.</summary>
    public async Task<V1Pod> WaitForReadyPodAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task<V1Pod> ready;
            lock (_lock)
            {
                if (_current is not null)
                {
                    return _current;
                }

                ready = _ready.Task;
            }

            await ready.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Marks a pod as unusable right away (a connection failed because it is gone) without waiting for the watch.</summary>
    public void Forget(string podName)
    {
        lock (_lock)
        {
            if (_pods.Remove(podName))
            {
                ChooseLocked();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_watch is not null)
        {
            await _watch.DisposeAsync().ConfigureAwait(false);
        }

        _ready.TrySetCanceled();
    }

    /// <summary>The pods of <paramref name="selection"/> on the API server.</summary>
    public static IWatchSource<V1Pod> PodsOf(IKubernetes client, PodSelection selection) => new KubernetesWatchSource<V1Pod>(
        async ct =>
        {
            var list = await client.CoreV1.ListNamespacedPodAsync(
                selection.Namespace, fieldSelector: selection.FieldSelector, labelSelector: selection.LabelSelector, cancellationToken: ct).ConfigureAwait(false);
            return (list.Items.ToList(), list.Metadata.ResourceVersion);
        },
        (resourceVersion, onError, ct) => client.CoreV1.WatchListNamespacedPodAsync(
            selection.Namespace,
            fieldSelector: selection.FieldSelector,
            labelSelector: selection.LabelSelector,
            resourceVersion: resourceVersion,
            allowWatchBookmarks: true,
            timeoutSeconds: 300,
            onError: onError,
            cancellationToken: ct));

    private Task OnListedAsync(IReadOnlyList<V1Pod> pods, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _pods.Clear();
            foreach (var pod in pods)
            {
                _pods[pod.Metadata.Name] = pod;
            }

            ChooseLocked();
        }

        _listed.TrySetResult();
        return Task.CompletedTask;
    }

    private Task OnChangedAsync(WatchEventKind type, V1Pod pod, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (type == WatchEventKind.Deleted)
            {
                _pods.Remove(pod.Metadata.Name);
            }
            else
            {
                _pods[pod.Metadata.Name] = pod;
            }

            ChooseLocked();
        }

        return Task.CompletedTask;
    }

    private Task OnFailedAsync(Exception error, TimeSpan retryIn, CancellationToken cancellationToken)
    {
        // Before the first list the caller hears of it (and the watch ends); afterwards the current pod stays while it retries.
        if (!_listed.Task.IsCompleted)
        {
            _listed.TrySetException(error);
            throw error;
        }

        return Task.CompletedTask;
    }

    private void ChooseLocked()
    {
        var previous = _current;
        if (previous is not null && _pods.TryGetValue(previous.Metadata.Name, out var latest) && _usable(latest))
        {
            _current = latest;
            return;
        }

        _current = _pods.Values
            .Where(_usable)
            .OrderByDescending(p => p.Metadata.CreationTimestamp)
            .ThenBy(p => p.Metadata.Name, StringComparer.Ordinal)
            .FirstOrDefault();

        var now = DateTimeOffset.UtcNow;
        if (_current is not null)
        {
            var wasWaiting = _lastNotReadyReason is not null;
            _lastNotReadyReason = null;
            _ready.TrySetResult(_current);
            var name = _current.Metadata.Name;
            var last = _lastPodName;
            _lastPodName = name;
            _report(last is null || last == name
                ? new PortForwardEvent(now, ForwardEventKind.PodSelected,
                    last == name && wasWaiting ? $"Pod {name} is ready again (restarted); forwarding to it." : $"Forwarding to pod {name}.", Pod: name)
                : new PortForwardEvent(now, ForwardEventKind.PodSwitched,
                    $"Pod {last} is gone or not ready; new connections go to pod {name}.",
                    Pod: name, PreviousPod: last));
            return;
        }

        if (_ready.Task.IsCompleted)
        {
            _ready = new TaskCompletionSource<V1Pod>(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        var reason = DescribeLocked();
        if (reason != _lastNotReadyReason)
        {
            _lastNotReadyReason = reason;
            _report(new PortForwardEvent(now, ForwardEventKind.NoReadyPod,
                $"No ready pod: {reason}. New connections wait for one.", PreviousPod: previous?.Metadata.Name));
        }
    }

    private string DescribeLocked()
    {
        if (_pods.Count == 0)
        {
            return $"no {_selection} exists in namespace {_selection.Namespace}";
        }

        return string.Join("; ", _pods.Values.OrderBy(p => p.Metadata.Name, StringComparer.Ordinal).Select(PodReadiness.DescribeNotReady));
    }
}
