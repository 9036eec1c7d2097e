using StreamJsonRpc;

namespace DevSpaces.Tunnel;

/// <summary>What the agent asks of the daemon over the tunnel's control channel.</summary>
[JsonRpcContract]
public partial interface IDaemonCallbacks
{
    /// <summary>
    /// A client in the cluster connected to <paramref name="targetPort"/>; the connection is carried by the channel
    /// <paramref name="channelId"/>. Returns true when the local process accepted it; false when nothing listens
    /// locally (the daemon has answered the client with a 502 text itself).
    /// </summary>
    [JsonRpcMethod("inbound")]
    Task<bool> ConnectInboundAsync(ulong channelId, int targetPort, string remote, CancellationToken cancellationToken);
}
