using StreamJsonRpc;

namespace DevSpaces.Contracts;

/// <summary>
/// Local ports forwarded to a pod, Deployment or Service through the API server. Each forward runs until stopped
/// (or the daemon exits) and reports what happens in <c>portForward/event</c> notifications.
/// </summary>
[JsonRpcContract]
public partial interface IPortForwardRpc
{
    /// <summary>
    /// Starts a forward and returns once its local ports listen and a ready pod is chosen.
    /// <paramref name="target"/>: <c>pod/NAME</c>, <c>deployment/NAME</c>, <c>service/NAME</c> or a pod name, optionally
    /// <c>NAMESPACE/KIND/NAME</c>; <paramref name="ports"/>: <c>LOCAL:REMOTE</c>, <c>:REMOTE</c> (any free local port)
    /// or <c>PORT</c>; REMOTE may be a port name. The namespace is the target's, else <paramref name="space"/>, else
    /// the selected space, else the context's namespace.
    /// </summary>
    [JsonRpcMethod("portForward/start")]
    Task<PortForwardInfo> StartPortForwardAsync(string target, IReadOnlyList<string> ports, string? space = null, string? address = null, CancellationToken cancellationToken = default);

    /// <summary>Stops a forward: its listeners close and its open connections end.</summary>
    [JsonRpcMethod("portForward/stop")]
    Task<PortForwardInfo> StopPortForwardAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>The running forwards.</summary>
    [JsonRpcMethod("portForward/list")]
    Task<PortForwardList> ListPortForwardsAsync(CancellationToken cancellationToken = default);
}
