using StreamJsonRpc;

namespace DevSpaces.Contracts;

/// <summary>Kubeconfig contexts and the connection to the cluster.</summary>
[JsonRpcContract]
public partial interface IContextRpc
{
    /// <summary>Lists the kubeconfig's contexts and which one the workspace uses.</summary>
    [JsonRpcMethod("context/list")]
    Task<ContextList> ListContextsAsync(CancellationToken cancellationToken = default);

    /// <summary>Makes the workspace use <paramref name="name"/>, reconnects and reports reachability.</summary>
    [JsonRpcMethod("context/use")]
    Task<ConnectionStatus> UseContextAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Checks reachability and the server version of the workspace's context.</summary>
    [JsonRpcMethod("context/status")]
    Task<ConnectionStatus> GetStatusAsync(CancellationToken cancellationToken = default);
}
