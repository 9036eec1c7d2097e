namespace DevSpaces.Core.Project;

/// <summary><c>build</c> of <c>devspaces.yaml</c>, with absolute paths.</summary>
/// <param name="Context">The build context folder.</param>
/// <param name="Dockerfile">The Dockerfile.</param>
/// <param name="Args">Build arguments.</param>
/// <param name="Image">Repository the image is tagged into.</param>
public sealed record ProjectBuild(string Context, string Dockerfile, IReadOnlyDictionary<string, string> Args, string Image);
