using StreamJsonRpc;

namespace DevSpaces.Contracts;

/// <summary>Images built on the local Docker engine and delivered to the cluster.</summary>
[JsonRpcContract]
public partial interface IImageRpc
{
    /// <summary>
    /// Builds a context folder (<c>.dockerignore</c> applies) into <c>repository:ds-&lt;content hash&gt;</c>, skipping
    /// the build when that tag exists, then (with <paramref name="deliver"/>) makes it available to the cluster:
    /// nothing to do when the cluster runs on this engine, else a push to <paramref name="registry"/>. Build output
    /// and push status arrive as <c>image/progress</c> notifications carrying <paramref name="operationId"/>;
    /// <paramref name="buildArgs"/> are <c>NAME=value</c> strings.
    /// </summary>
    [JsonRpcMethod("image/build")]
    Task<ImageBuildInfo> BuildImageAsync(
        string context,
        string repository,
        string? dockerfile = null,
        IReadOnlyList<string>? buildArgs = null,
        bool deliver = true,
        string? registry = null,
        bool force = false,
        string? operationId = null,
        CancellationToken cancellationToken = default);
}
