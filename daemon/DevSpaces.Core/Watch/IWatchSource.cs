namespace DevSpaces.Core.Watch;

/// <summary>
/// One kind of object to follow, as <see cref="ListWatch{T}"/> needs it: a list with the version it was read at, and
/// the changes after a version. <see cref="ApiWatchSource{T}"/> reads them with the daemon's own client,
/// <see cref="KubernetesWatchSource{T}"/> with KubernetesClient's.
/// </summary>
public interface IWatchSource<T>
{
    /// <summary>The objects now, and the resourceVersion to watch from.</summary>
    Task<(IReadOnlyList<T> Items, string ResourceVersion)> ListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The changes after <paramref name="resourceVersion"/> (bookmarks too) until the server ends the stream. Throws
    /// <see cref="WatchExpiredException"/> when the version is too old to watch from (410 Gone).
    /// </summary>
    IAsyncEnumerable<(WatchEventKind Kind, T Item)> WatchAsync(string resourceVersion, CancellationToken cancellationToken);

    /// <summary>The resourceVersion of an object the watch delivered, to resume from.</summary>
    string? VersionOf(T item);
}
