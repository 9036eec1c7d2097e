using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization.Metadata;
using DevSpaces.Core.Cluster;
using DevSpaces.Core.Cluster.Api;

namespace DevSpaces.Core.Watch;

/// <summary>
/// A <see cref="IWatchSource{T}"/> on the daemon's own <see cref="ApiServerClient"/>: the collection at one path, listed
/// and watched. An answer or ERROR event of 410 (the version is too old) becomes <see cref="WatchExpiredException"/>.
/// </summary>
/// <param name="list">Lists the collection.</param>
/// <param name="client">The client to watch with (the workspace's context may change between two streams).</param>
public sealed class ApiWatchSource<T>(
    Func<CancellationToken, Task<ApiList<T>>> list,
    Func<ApiServerClient> client,
    string path,
    JsonTypeInfo<T> itemType,
    int timeoutSeconds) : IWatchSource<T>
    where T : IApiObject
{
    /// <summary>The collection at <paramref name="path"/> of the cluster of <paramref name="connection"/>, listed with its timeout and errors.</summary>
    public static ApiWatchSource<T> Of(Func<ClusterConnection> connection, ClusterOperation listing, string path, JsonTypeInfo<ApiList<T>> listType, JsonTypeInfo<T> itemType, int timeoutSeconds) =>
        new(ct => connection().ReadAsync(listing, path, listType, ct), () => connection().Api, path, itemType, timeoutSeconds);

    public async Task<(IReadOnlyList<T> Items, string ResourceVersion)> ListAsync(CancellationToken cancellationToken)
    {
        var listed = await list(cancellationToken).ConfigureAwait(false);
        return (listed.Items, listed.Metadata.ResourceVersion);
    }

    public string? VersionOf(T item) => item.Metadata.ResourceVersion;

    public async IAsyncEnumerable<(WatchEventKind Kind, T Item)> WatchAsync(string resourceVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var events = client().WatchAsync(ApiServerClient.WatchPath(path, resourceVersion, timeoutSeconds), itemType, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (events.ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    if (!await events.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }
                }
                catch (ApiStatusException e) when (e.StatusCode == HttpStatusCode.Gone)
                {
                    throw new WatchExpiredException(resourceVersion, e);
                }

                yield return events.Current;
            }
        }
    }
}
