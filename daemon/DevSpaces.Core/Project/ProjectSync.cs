namespace DevSpaces.Core.Project;

/// <summary><c>sync</c> of <c>devspaces.yaml</c>: which local files are copied where in the container.</summary>
/// <param name="To">Absolute folder in the container that the project folder maps to.</param>
/// <param name="Files">The files synced.</param>
/// <param name="IgnoreFiles">Ignore files (relative to the project folder) whose patterns are never synced.</param>
public sealed record ProjectSync(string To, GlobList Files, IReadOnlyList<string> IgnoreFiles)
{
    /// <summary>Honoured when <c>ignoreFiles</c> is not given.</summary>
    public static IReadOnlyList<string> DefaultIgnoreFiles { get; } = [".gitignore", ".dockerignore"];
}
