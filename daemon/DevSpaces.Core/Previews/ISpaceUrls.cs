namespace DevSpaces.Core.Previews;

/// <summary>Where a space's app is reached from a browser, when something routes to it.</summary>
public interface ISpaceUrls
{
    /// <summary>The URL of <paramref name="space"/> (a child of <paramref name="parent"/>), or null when nothing routes to it.</summary>
    Task<string?> UrlAsync(string parent, string space, CancellationToken cancellationToken);
}
