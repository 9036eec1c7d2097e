using StreamJsonRpc;

namespace DevSpaces.Contracts;

/// <summary>Kubernetes services inside spaces.</summary>
[JsonRpcContract]
public partial interface IServiceRpc
{
    /// <summary>Lists the services of <paramref name="space"/> (null: the selected space) with their ports.</summary>
    [JsonRpcMethod("service/list")]
    Task<ServiceList> ListServicesAsync(string? space = null, CancellationToken cancellationToken = default);
}
