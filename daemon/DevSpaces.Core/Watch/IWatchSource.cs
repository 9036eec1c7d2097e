using k8s;

namespace DevSpaces.Core.Watch;

/// <summary>
/// One kind of object to follow, as <see cref="ListWatch{T}"/> needs it: a list with the version it was read at, and
/// the changes after a version. <see cref="KubernetesWatchSource{T}"/> reads them from the API server.
/// </summary>
public interface IWatchSource<T>
{
    /// <summary>The objects now, and the resourceVersion to watch from.</summary>
    Task<(IReadOnlyList<T> Items, string ResourceVersion)> ListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The changes after <paramref name="resourceVersion"/> (bookmarks too) until the server ends the stream. Throws
    /// <see cref="WatchExpiredException"/> when the version is too old to watch from (410 Gone).
    /// </summary>
    IAsyncEnumerable<(WatchEventType Type, T Item)> WatchAsync(string resourceVersion, CancellationToken cancellationToken);
}
