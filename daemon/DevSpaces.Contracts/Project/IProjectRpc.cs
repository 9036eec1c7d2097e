using StreamJsonRpc;

namespace DevSpaces.Contracts;

/// <summary>A service's <c>devspaces.yaml</c>: checking it as it is typed, and preparing a folder for DevSpaces.</summary>
[JsonRpcContract]
public partial interface IProjectRpc
{
    /// <summary>
    /// Checks a <c>devspaces.yaml</c> and returns its problems with their ranges: <paramref name="text"/> is the editor's
    /// (possibly unsaved) content, null reads the file. Relative paths in the file are resolved against its folder.
    /// </summary>
    [JsonRpcMethod("project/check")]
    Task<ProjectCheckResult> CheckProjectAsync(string path, string? text = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Detects the .NET, Node.js or Java project in <paramref name="folder"/> (null: the workspace folder) and writes a
    /// Dockerfile, a <c>.dockerignore</c>, Kubernetes manifests and <c>devspaces.yaml</c>, never replacing a file that exists.
    /// </summary>
    [JsonRpcMethod("project/prep")]
    Task<ProjectPrepResult> PrepareProjectAsync(string? folder = null, string? service = null, CancellationToken cancellationToken = default);
}
