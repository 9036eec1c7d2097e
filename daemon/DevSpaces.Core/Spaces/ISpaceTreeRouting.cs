namespace DevSpaces.Core.Spaces;

/// <summary>What routing needs to hear of the space operations, and what it adds to a space list (the space URLs).</summary>
public interface ISpaceTreeRouting
{
    /// <summary>A child space was created: when its root is routed, the router learns it.</summary>
    Task ChildCreatedAsync(string name, string parent, CancellationToken cancellationToken);

    /// <summary>Spaces under <paramref name="root"/> were deleted: the router forgets them.</summary>
    Task ChildrenDeletedAsync(string root, IReadOnlyCollection<string> deleted, CancellationToken cancellationToken);

    /// <summary>The URL of each space of the tree under <paramref name="root"/>, or null when it is not routed (or not readable).</summary>
    Task<IReadOnlyDictionary<string, string>?> UrlsAsync(string root, CancellationToken cancellationToken);
}
