using System.Collections.Concurrent;

namespace DevSpaces.Core.Routing;

/// <summary>
/// The routing decision of one root space, as an immutable snapshot: the root's descendant spaces and the Services
/// each one holds. A request for space S and Service X goes to the nearest space on the path S → parent → … → root
/// that has X; a request for anything that is not a space of this tree goes to the baseline. Decisions are made once
/// per port and space of the snapshot and then reused: a request's lookup allocates nothing.
/// </summary>
public sealed class RouteTable
{
    private readonly Dictionary<string, string[]> paths;
    private readonly ConcurrentDictionary<RoutedPort, ConcurrentDictionary<string, RouteDecision>> decided = new(ReferenceEqualityComparer.Instance);
    private readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, RouteTarget>> services;

    /// <param name="root">The root space.</param>
    /// <param name="spaces">Its descendants with their parents; one whose chain of parents does not reach the root is left out.</param>
    /// <param name="services">The Services of each space (the root's include the baseline Services) by name.</param>
    public RouteTable(string root, IEnumerable<RoutedSpace> spaces, IReadOnlyDictionary<string, IReadOnlyDictionary<string, RouteTarget>> services)
    {
        Root = root;
        this.services = services;
        var parents = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var space in spaces)
        {
            if (space.Name != root && RouteKey.IsSpaceName(space.Name))
            {
                parents.TryAdd(space.Name, space.Parent);
            }
        }

        paths = new Dictionary<string, string[]>(StringComparer.Ordinal) { [root] = [root] };
        foreach (var name in parents.Keys)
        {
            var path = new List<string> { name };
            var current = name;
            while (parents.TryGetValue(current, out var parent) && path.Count <= parents.Count)
            {
                path.Add(parent);
                current = parent;
            }

            if (current == root)
            {
                paths[name] = [.. path];
            }
        }
    }

    public string Root { get; }

    /// <summary>The spaces of this tree (the root and every descendant reaching it).</summary>
    public IEnumerable<string> Spaces => paths.Keys;

    /// <summary>The path space → parent → … → root, or null when <paramref name="space"/> is not a space of this tree.</summary>
    public IReadOnlyList<string>? PathOf(string? space) => space is not null && paths.TryGetValue(space, out var path) ? path : null;

    /// <summary>Where a request for <paramref name="space"/> (null: no key) arriving on <paramref name="port"/> goes.</summary>
    public RouteDecision Decide(RoutedPort port, string? space)
    {
        // Only the tree's spaces (and "" for no key or any other key) are cached, so the cache is as large as the tree.
        var inTree = space is not null && paths.ContainsKey(space);
        var perPort = decided.GetOrAdd(port, static _ => new ConcurrentDictionary<string, RouteDecision>(StringComparer.Ordinal));
        var cacheKey = inTree ? space! : "";
        if (perPort.TryGetValue(cacheKey, out var known))
        {
            return known;
        }

        return perPort.GetOrAdd(cacheKey, Compute(port, inTree ? space : null));
    }

    private RouteDecision Compute(RoutedPort port, string? space)
    {
        var path = PathOf(space);
        if (path is null)
        {
            return Baseline(port, null);
        }

        foreach (var step in path)
        {
            if (step == Root)
            {
                break;
            }

            if (services.TryGetValue(step, out var held) && held.TryGetValue(port.Service, out var service) && service.PortFor(port) is { } number)
            {
                return new RouteDecision(step, $"{service.ClusterIp}:{number}", space);
            }
        }

        return Baseline(port, space);
    }

    private RouteDecision Baseline(RoutedPort port, string? space) =>
        new(Root, services.TryGetValue(Root, out var held) && held.TryGetValue(port.Baseline, out var baseline) ? $"{baseline.ClusterIp}:{port.Port}" : null, space);
}
