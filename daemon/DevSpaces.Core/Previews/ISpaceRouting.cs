namespace DevSpaces.Core.Previews;

/// <summary>What routes a browser to a space by its URL (<see cref="RoutedSpaces"/> on a real cluster).</summary>
public interface ISpaceRouting
{
    /// <summary>A child space of <paramref name="parent"/> appeared: when its root is routed, the router learns it.</summary>
    Task AddedAsync(string parent, string space, CancellationToken cancellationToken);

    /// <summary>The URL of <paramref name="space"/> (a child of <paramref name="parent"/>), or null when nothing routes to it.</summary>
    Task<string?> UrlAsync(string parent, string space, CancellationToken cancellationToken);

    /// <summary>A child space of <paramref name="parent"/> was deleted: the router forgets it.</summary>
    Task RemovedAsync(string parent, string space, CancellationToken cancellationToken);
}
