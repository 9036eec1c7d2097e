namespace DevSpaces.Core.Previews;

/// <summary>A cluster where nothing routes to spaces by URL: previews are reached by port forward.</summary>
public sealed class NoSpaceUrls : ISpaceUrls
{
    public Task<string?> UrlAsync(string parent, string space, CancellationToken cancellationToken) => Task.FromResult<string?>(null);
}
