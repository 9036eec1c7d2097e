namespace DevSpaces.Core.Previews;

/// <summary>A preview: its space, what it shows and where it is reached.</summary>
/// <param name="Name">The space's name.</param>
/// <param name="Parent">The space it is a child of.</param>
/// <param name="PullRequest">The pull request's number, or null.</param>
/// <param name="Commit">The commit last deployed, or null.</param>
/// <param name="Created">When the preview was created.</param>
/// <param name="Updated">When it was last deployed.</param>
/// <param name="Age">Time since <paramref name="Updated"/>, as <c>3d</c>, <c>5h</c>.</param>
/// <param name="Url">The preview's URL, or null when nothing routes to it.</param>
/// <param name="Reach">Without a URL: how to reach the preview.</param>
/// <param name="Services">What this run deployed (empty in lists).</param>
public sealed record PreviewInfo(
    string Name,
    string? Parent,
    int? PullRequest,
    string? Commit,
    DateTimeOffset Created,
    DateTimeOffset Updated,
    string Age,
    string? Url,
    string? Reach,
    IReadOnlyList<PreviewServiceInfo> Services);
