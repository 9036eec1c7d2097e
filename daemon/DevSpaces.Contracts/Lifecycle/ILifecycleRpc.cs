using StreamJsonRpc;

namespace DevSpaces.Contracts;

/// <summary>Start and end of a daemon connection.</summary>
[JsonRpcContract]
public partial interface ILifecycleRpc
{
    /// <summary>First request of a connection: names the workspace folder and returns the daemon's version and capabilities.</summary>
    [JsonRpcMethod("initialize")]
    Task<InitializeResult> InitializeAsync(string? clientName = null, string? clientVersion = null, string? workspaceFolder = null, CancellationToken cancellationToken = default);

    /// <summary>Stops watches; the daemon exits once the response is sent.</summary>
    [JsonRpcMethod("shutdown")]
    Task ShutdownAsync(CancellationToken cancellationToken = default);
}
