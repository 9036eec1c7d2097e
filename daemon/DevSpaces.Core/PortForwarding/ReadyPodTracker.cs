using System.Net;
using DevSpaces.Contracts;
using DevSpaces.Core.Lifetime;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace DevSpaces.Core.PortForwarding;

/// <summary>
/// Keeps track of which ready pod a forward should use, from a watch on the selected pods (no polling). The
/// current pod stays as long as it is ready; when it goes, another ready pod takes over and the switch is
/// reported.
/// </summary>
public sealed class ReadyPodTracker : IAsyncDisposable
{
    private readonly IKubernetes _client;
    private readonly PodSelection _selection;
    private readonly Action<PortForwardEvent> _report;
    private readonly Func<V1Pod, bool> _usable;
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, V1Pod> _pods = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _listed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource<V1Pod> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private V1Pod? _current;
    private string? _lastPodName;
    private string? _lastNotReadyReason;
    private Task _watchLoop = Task.CompletedTask;

    private ReadyPodTracker(IKubernetes client, PodSelection selection, Action<PortForwardEvent> report, Func<V1Pod, bool> usable)
    {
        _client = client;
        _selection = selection;
        _report = report;
        _usable = usable;
    }

    /// <summary>Lists the pods once and then follows them with a watch until disposed.</summary>
    public static Task<ReadyPodTracker> StartAsync(
        IKubernetes client, PodSelection selection, Action<PortForwardEvent> report, CancellationToken cancellationToken) =>
        StartAsync(client, selection, PodReadiness.IsReady, report, cancellationToken);

    /// <summary>As above, choosing among the pods for which <paramref name="usable"/> holds instead of the ready ones.</summary>
    public static async Task<ReadyPodTracker> StartAsync(
        IKubernetes client, PodSelection selection, Func<V1Pod, bool> usable, Action<PortForwardEvent> report, CancellationToken cancellationToken)
    {
        var tracker = new ReadyPodTracker(client, selection, report, usable);
        tracker._watchLoop = tracker.RunAsync(tracker._stop.Token);
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
        await OwnedLoop.CancelAndWaitAsync(_stop, _watchLoop).ConfigureAwait(false);

        _ready.TrySetCanceled();
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var resourceVersion = await ListAsync(cancellationToken).ConfigureAwait(false);
                _listed.TrySetResult();
                failures = 0;
                resourceVersion = await WatchAsync(resourceVersion, cancellationToken).ConfigureAwait(false);
                while (resourceVersion is not null)
                {
                    // The API server ends watches after a while; resume from where we were.
                    resourceVersion = await WatchAsync(resourceVersion, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                if (!_listed.Task.IsCompleted)
                {
                    _listed.TrySetException(e);
                    return;
                }

                failures++;
                var delay = TimeSpan.FromMilliseconds(Math.Min(5000, 200 * (1 << Math.Min(failures, 5))));
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<string> ListAsync(CancellationToken cancellationToken)
    {
        var list = await _client.CoreV1.ListNamespacedPodAsync(
            _selection.Namespace,
            fieldSelector: _selection.FieldSelector,
            labelSelector: _selection.LabelSelector,
            cancellationToken: cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            _pods.Clear();
            foreach (var pod in list.Items)
            {
                _pods[pod.Metadata.Name] = pod;
            }

            ChooseLocked();
        }

        return list.Metadata.ResourceVersion;
    }

    /// <summary>Follows changes; returns the version to resume from, or null when the list must be read again.</summary>
    private async Task<string?> WatchAsync(string resourceVersion, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var (type, pod) in _client.CoreV1.WatchListNamespacedPodAsync(
                _selection.Namespace,
                fieldSelector: _selection.FieldSelector,
                labelSelector: _selection.LabelSelector,
                resourceVersion: resourceVersion,
                allowWatchBookmarks: true,
                timeoutSeconds: 300,
                cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                switch (type)
                {
                    case WatchEventType.Error:
                        // Typically 410 Gone: our version is too old; list again.
                        return null;
                    case WatchEventType.Bookmark:
                        break;
                    case WatchEventType.Deleted:
                        lock (_lock)
                        {
                            _pods.Remove(pod.Metadata.Name);
                            ChooseLocked();
                        }

                        break;
                    default:
                        lock (_lock)
                        {
                            _pods[pod.Metadata.Name] = pod;
                            ChooseLocked();
                        }

                        break;
                }

                resourceVersion = pod.Metadata?.ResourceVersion ?? resourceVersion;
            }
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Gone)
        {
            return null;
        }

        return resourceVersion;
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
