using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace DevSpaces.Core.Watch;

/// <summary>
/// A <see cref="IWatchSource{T}"/> on KubernetesClient's client, given the list and watch calls of one resource.
/// KubernetesClient reports a status in the stream (410 Gone after a compaction, say) through the watch call's
/// <c>onError</c> instead of throwing; it becomes <see cref="WatchExpiredException"/> or the error itself.
/// </summary>
/// <param name="list">Lists the objects; returns them and the list's resourceVersion.</param>
/// <param name="watch">Watches from a resourceVersion, passing stream errors to the given callback.</param>
public sealed class KubernetesWatchSource<T>(
    Func<CancellationToken, Task<(IReadOnlyList<T> Items, string ResourceVersion)>> list,
    Func<string, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType, T)>> watch) : IWatchSource<T>
    where T : IKubernetesObject<V1ObjectMeta>
{
    public Task<(IReadOnlyList<T> Items, string ResourceVersion)> ListAsync(CancellationToken cancellationToken) => list(cancellationToken);

    public string? VersionOf(T item) => item.Metadata?.ResourceVersion;

    public async IAsyncEnumerable<(WatchEventKind Kind, T Item)> WatchAsync(string resourceVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Exception? streamError = null;
        var events = watch(resourceVersion, e => streamError ??= e, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (events.ConfigureAwait(false))
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await events.MoveNextAsync().ConfigureAwait(false);
                }
                catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.Gone)
                {
                    throw new WatchExpiredException(resourceVersion, e);
                }
                catch (KubernetesException e) when (e.Status?.Code == 410)
                {
                    throw new WatchExpiredException(resourceVersion, e);
                }

                if (!more || streamError != null)
                {
                    break;
                }

                var (type, item) = events.Current;
                if (KindOf(type) is { } kind)
                {
                    yield return (kind, item);
                }
            }
        }

        if (streamError is KubernetesException { Status.Code: 410 })
        {
            throw new WatchExpiredException(resourceVersion, streamError);
        }

        if (streamError != null)
        {
            ExceptionDispatchInfo.Throw(streamError);
        }
    }

    private static WatchEventKind? KindOf(WatchEventType type) => type switch
    {
        WatchEventType.Added => WatchEventKind.Added,
        WatchEventType.Modified => WatchEventKind.Modified,
        WatchEventType.Deleted => WatchEventKind.Deleted,
        WatchEventType.Bookmark => WatchEventKind.Bookmark,
        _ => null,
    };
}
