using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization.Metadata;
using DevSpaces.Core.Cluster;
using DevSpaces.Core.Cluster.Api;

namespace DevSpaces.Core.Watch;

/// <summary>
/// A <see cref="IWatchSource{T}"/> on the daemon's own <see cref="ApiServerClient"/>: the collection at one path, listed
/// and watched. An ERROR event with 410 (the version is too old) becomes <see cref="WatchExpiredException"/>.
/// </summary>
/// <param name="connection">The connection to use for each call (the workspace's context may change between them).</param>
public sealed class ApiWatchSource<T>(
    Func<ClusterConnection> connection,
    ClusterOperation listing,
    string path,
    JsonTypeInfo<ApiList<T>> listType,
    JsonTypeInfo<T> itemType,
    int timeoutSeconds) : IWatchSource<T>
    where T : IApiObject
{
    public async Task<(IReadOnlyList<T> Items, string ResourceVersion)> ListAsync(CancellationToken cancellationToken)
    {
        var list = await connection().ReadAsync(listing, path, listType, cancellationToken).ConfigureAwait(false);
        return (list.Items, list.Metadata.ResourceVersion);
    }

    public string? VersionOf(T item) => item.Metadata.ResourceVersion;

    public async IAsyncEnumerable<(WatchEventKind Kind, T Item)> WatchAsync(string resourceVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var events = connection().Api.WatchAsync(ApiServerClient.WatchPath(path, resourceVersion, timeoutSeconds), itemType, cancellationToken).GetAsyncEnumerator(cancellationToken);
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
