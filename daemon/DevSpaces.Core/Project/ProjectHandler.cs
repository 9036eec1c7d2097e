using DevSpaces.Contracts;
using DevSpaces.Core.Errors;
using DevSpaces.Core.Workspace;

namespace DevSpaces.Core.Project;

/// <summary>The <c>project/*</c> methods: checking a <c>devspaces.yaml</c> as it is typed, and <c>prep</c>.</summary>
public sealed class ProjectHandler(WorkspaceSession session) : IProjectRpc
{
    public Task<ProjectCheckResult> CheckProjectAsync(string path, string? text = null, CancellationToken cancellationToken = default)
    {
        var full = Resolve(path);
        if (text == null && !File.Exists(full))
        {
            throw new DevSpacesException(
                RpcErrorCode.ProjectFileNotFound,
                $"There is no {Path.GetFileName(full)} at {full}.",
                "Run 'devspaces prep' in the service's folder to write one, or give the path of an existing devspaces.yaml.");
        }

        var reading = ProjectFileReader.Read(full, text);
        return Task.FromResult(new ProjectCheckResult(reading.Path, reading.Problems));
    }

    public Task<ProjectPrepResult> PrepareProjectAsync(string? folder = null, string? service = null, CancellationToken cancellationToken = default)
    {
        var target = folder != null ? Resolve(folder) : session.WorkspaceFolder
            ?? throw new DevSpacesException(RpcErrorCode.ProjectNotDetected, "No folder to prepare: no workspace folder is open.", "Open the service's folder, or give its path.");
        return Task.FromResult(ProjectPreparer.Prepare(target, service));
    }

    private string Resolve(string path) =>
        Path.IsPathRooted(path) ? Path.GetFullPath(path) : Path.GetFullPath(path, session.WorkspaceFolder ?? Directory.GetCurrentDirectory());
}
