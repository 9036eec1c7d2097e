namespace DevSpaces.Core.Previews;

/// <summary>What <c>preview up</c> deploys where.</summary>
/// <param name="Name">The preview's name as given (<c>pr-12</c>, a branch name); made a valid space name.</param>
/// <param name="Parent">The space the preview is a child of (its baseline).</param>
/// <param name="Folders">The folders of the services the change touches, each with its devspaces.yaml.</param>
/// <param name="Images">Per service name, an image to deploy as it is instead of building the folder.</param>
/// <param name="BuildArgs">Build arguments over those of each devspaces.yaml.</param>
/// <param name="Commit">The commit deployed, when known.</param>
/// <param name="PullRequest">The pull request's number, when it is one's.</param>
public sealed record PreviewRequest(
    string Name,
    string Parent,
    IReadOnlyList<string> Folders,
    IReadOnlyDictionary<string, string> Images,
    IReadOnlyDictionary<string, string> BuildArgs,
    string? Commit,
    int? PullRequest);
