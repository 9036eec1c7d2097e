using System.Runtime.CompilerServices;
using DevSpaces.Core.Watch;
using DevSpaces.Tests.Support;
using DevSpaces.Core.Cluster.Api;
using k8s;
using k8s.Models;

namespace DevSpaces.Tests.Watch;

/// <summary>
/// A watch source that plays a script: each list and each watch stream takes the next step written for it; when the
/// script is used up, a list or watch waits until cancelled. Every call is recorded (<c>list</c>, <c>watch RV</c>).
/// </summary>
public sealed class ScriptedWatchSource<T> : IWatchSource<T>
{
    private readonly Lock gate = new();
    private readonly Queue<Func<(IReadOnlyList<T>, string)>> lists = new();
    private readonly Queue<(IReadOnlyList<(WatchEventKind, T)> Events, Exception? End)> streams = new();

    public Signal<string> Calls { get; } = new();

    /// <summary>Set when a call that was waiting at the end of the script saw its cancellation.</summary>
    public Signal<string> Cancelled { get; } = new();

    public ScriptedWatchSource<T> List(string resourceVersion, params T[] items) => Add(() => (items, resourceVersion));

    public ScriptedWatchSource<T> ListFails(Exception error) => Add(() => throw error);

    /// <summary>A stream delivering <paramref name="events"/>, then ending as the server ends it.</summary>
    public ScriptedWatchSource<T> Stream(params (WatchEventKind, T)[] events) => Add(events, null);

    /// <summary>A stream delivering <paramref name="events"/>, then ending with <paramref name="end"/> (e.g. <see cref="WatchExpiredException"/>).</summary>
    public ScriptedWatchSource<T> StreamThen(Exception end, params (WatchEventKind, T)[] events) => Add(events, end);

    public string? VersionOf(T item) => item switch
    {
        IKubernetesObject<V1ObjectMeta> kubernetes => kubernetes.Metadata?.ResourceVersion,
        IApiObject api => api.Metadata.ResourceVersion,
        _ => null,
    };

    public async Task<(IReadOnlyList<T> Items, string ResourceVersion)> ListAsync(CancellationToken cancellationToken)
    {
        Calls.Add("list");
        Func<(IReadOnlyList<T>, string)>? next;
        lock (gate)
        {
            lists.TryDequeue(out next);
        }

        if (next is null)
        {
            await WaitForCancellationAsync("list", cancellationToken);
        }

        return next!();
    }

    public async IAsyncEnumerable<(WatchEventKind Kind, T Item)> WatchAsync(string resourceVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Calls.Add($"watch {resourceVersion}");
        (IReadOnlyList<(WatchEventKind, T)> Events, Exception? End) stream;
        bool scripted;
        lock (gate)
        {
            scripted = streams.TryDequeue(out stream);
        }

        if (!scripted)
        {
            await WaitForCancellationAsync($"watch {resourceVersion}", cancellationToken);
        }

        foreach (var e in stream.Events)
        {
            await Task.Yield();
            yield return e;
        }

        if (stream.End is not null)
        {
            throw stream.End;
        }
    }

    private async Task WaitForCancellationAsync(string call, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        finally
        {
            Cancelled.Add(call);
        }
    }

    private ScriptedWatchSource<T> Add(Func<(IReadOnlyList<T>, string)> list)
    {
        lock (gate)
        {
            lists.Enqueue(list);
        }

        return this;
    }

    private ScriptedWatchSource<T> Add(IReadOnlyList<(WatchEventKind, T)> events, Exception? end)
    {
        lock (gate)
        {
            streams.Enqueue((events, end));
        }

        return this;
    }
}
