using StreamJsonRpc;

namespace DevSpaces.Contracts;

/// <summary>Dev spaces: namespaces labelled <c>devspaces.io/space=true</c>, children labelled <c>devspaces.io/parent</c>.</summary>
[JsonRpcContract]
public partial interface ISpaceRpc
{
    /// <summary>Lists the spaces as a tree.</summary>
    [JsonRpcMethod("space/list")]
    Task<SpaceTree> ListSpacesAsync(CancellationToken cancellationToken = default);

    /// <summary>Creates a root space (<paramref name="parent"/> null) or a child of <paramref name="parent"/>.</summary>
    [JsonRpcMethod("space/create")]
    Task<CreateSpaceResult> CreateSpaceAsync(string name, string? parent = null, CancellationToken cancellationToken = default);

    /// <summary>Selects the workspace's current space; null clears the selection.</summary>
    [JsonRpcMethod("space/select")]
    Task<Selection> SelectSpaceAsync(string? name, CancellationToken cancellationToken = default);

    /// <summary>Returns the workspace's context and selected space.</summary>
    [JsonRpcMethod("space/current")]
    Task<Selection> GetCurrentAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes a space; with children only when <paramref name="recursive"/> is true.</summary>
    [JsonRpcMethod("space/delete")]
    Task<DeleteSpaceResult> DeleteSpaceAsync(string name, bool recursive = false, CancellationToken cancellationToken = default);
}
