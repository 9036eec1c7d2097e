using DevSpaces.Core.Cluster;
using DevSpaces.Core.Routing;

namespace DevSpaces.Core.Previews;

/// <summary>Previews under a routed root space get the router's URL; under one without routing, none.</summary>
public sealed class RoutedSpaces(RoutingService routing, ClusterConnection cluster) : ISpaceRouting
{
    public Task AddedAsync(string parent, string space, CancellationToken cancellationToken) =>
        routing.ChildCreatedAsync(space, parent, cancellationToken);

    public async Task<string?> UrlAsync(string parent, string space, CancellationToken cancellationToken)
    {
        var root = await routing.RootOfAsync(cluster, parent, cancellationToken).ConfigureAwait(false);
        var urls = await routing.UrlsAsync(root, cancellationToken).ConfigureAwait(false);
        return urls?.GetValueOrDefault(space);
    }

    public async Task RemovedAsync(string parent, string space, CancellationToken cancellationToken)
    {
        var root = await routing.RootOfAsync(cluster, parent, cancellationToken).ConfigureAwait(false);
        await routing.ChildrenDeletedAsync(root, [space], cancellationToken).ConfigureAwait(false);
    }
}
