using DevSpaces.Contracts;
using DevSpaces.Core.Errors;
using DevSpaces.Core.Routing;
using DevSpaces.Tunnel.Takeover;

namespace DevSpaces.Core.Connect;

/// <summary>
/// Decides an isolated connect: the space must be a child; the Service comes from the nearest space on its path to the
/// root that holds it; the root must be routed, its router must route that Service over HTTP and know the child.
/// Reads only; changes nothing.
/// </summary>
public sealed class IsolationPlanner(IIsolationReads reads)
{
    private const int MaxDepth = 64;

    public async Task<IsolationTarget> PlanAsync(string child, string service, CancellationToken cancellationToken)
    {
        var space = await reads.ReadSpaceAsync(child, cancellationToken).ConfigureAwait(false) ?? throw SpaceNotFound(child);
        if (space.Parent is null)
        {
            throw ConnectErrors.IsolatedNeedsChildSpace(child, service);
        }

        // A version of the child's own (not one an isolated session made) already gets only the child's requests.
        var own = await reads.ReadServiceAsync(child, service, cancellationToken).ConfigureAwait(false);
        if (own is not null && own.Metadata.Labels?.ContainsKey(TakeoverNames.IsolatedLabel) != true)
        {
            return IsolationTarget.OwnVersion(child);
        }

        string? source = null;
        var path = new List<string> { child };
        var current = space.Parent;
        while (true)
        {
            if (path.Contains(current) || path.Count > MaxDepth)
            {
                throw new DevSpacesException(RpcErrorCode.NotASpace, $"The parents of space '{child}' form a cycle ({string.Join(" → ", path.Append(current))}).", "Fix the devspaces.io/parent labels of these namespaces.");
            }

            path.Add(current);
            if (source is null && await reads.ReadServiceAsync(current, service, cancellationToken).ConfigureAwait(false) is not null)
            {
                source = current;
            }

            var record = await reads.ReadSpaceAsync(current, cancellationToken).ConfigureAwait(false) ?? throw SpaceNotFound(current);
            if (record.Parent is null)
            {
                break;
            }

            current = record.Parent;
        }

        var root = current;
        if (source is null)
        {
            throw new DevSpacesException(
                RpcErrorCode.ConnectTargetInvalid,
                $"There is no Service '{service}' in space '{child}' or its parents ({string.Join(", ", path.Skip(1))}).",
                $"List the services with 'devspaces service list --space {root}' and pick one of them.");
        }

        var map = await reads.ReadRoutingAsync(root, cancellationToken).ConfigureAwait(false);
        if (map?.Data?.TryGetValue(RoutingNames.RoutesKey, out var routes) != true)
        {
            throw ConnectErrors.RootNotRouted(child, root, service);
        }

        RouterConfig config;
        IReadOnlyList<RoutedSpace> spaces;
        try
        {
            config = RouterConfig.FromJson(routes!);
            spaces = RouterConfig.SpacesFromJson(map.Data.TryGetValue(RoutingNames.SpacesKey, out var json) ? json : null);
        }
        catch (System.Text.Json.JsonException)
        {
            throw ConnectErrors.RootNotRouted(child, root, service);
        }

        if (!config.Routes.Any(r => r.Service == service && r.Http))
        {
            throw ConnectErrors.ServiceNotRouted(service, root);
        }

        if (!spaces.Any(s => s.Name == child))
        {
            throw ConnectErrors.SpaceNotRouted(child, root);
        }

        return new IsolationTarget(source, root);
    }

    private static DevSpacesException SpaceNotFound(string name) => new(
        RpcErrorCode.SpaceNotFound, $"Space '{name}' does not exist.", "List the spaces with 'devspaces space list'.");
}
