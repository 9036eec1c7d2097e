namespace DevSpaces.Core.Project;

/// <summary>A valid <c>devspaces.yaml</c>: how one service is built, deployed, synced and updated.</summary>
/// <param name="Path">Absolute path of the file.</param>
/// <param name="Service">The service's name (a DNS-1123 label).</param>
/// <param name="Build">How the image is built.</param>
/// <param name="Deploy">What is applied into the space.</param>
/// <param name="Run">The process in the container.</param>
/// <param name="Sync">What is copied into the container; null: nothing.</param>
/// <param name="Updates">The update rules, in order.</param>
/// <param name="Forward">The port forwarded to this machine; null: none.</param>
public sealed record ProjectFile(
    string Path,
    string Service,
    ProjectBuild Build,
    ProjectDeploy Deploy,
    ProjectRun Run,
    ProjectSync? Sync,
    IReadOnlyList<UpdateRule> Updates,
    ProjectForward? Forward)
{
    /// <summary>The name DevSpaces looks for in a service's folder.</summary>
    public const string FileName = "devspaces.yaml";

    /// <summary>The folder every relative path of the file is relative to.</summary>
    public string Folder => System.IO.Path.GetDirectoryName(Path)!;
}
