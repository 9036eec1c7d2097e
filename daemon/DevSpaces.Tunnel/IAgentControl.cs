using StreamJsonRpc;

namespace DevSpaces.Tunnel;

/// <summary>What the daemon asks of the agent over the tunnel's control channel.</summary>
[JsonRpcContract]
public partial interface IAgentControl
{
    /// <summary>Tells the agent the daemon is alive; without it the agent restores the workload itself.</summary>
    [JsonRpcMethod("heartbeat")]
    Task HeartbeatAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Connects to <paramref name="host"/>:<paramref name="port"/> from inside the cluster and returns the id of a
    /// new tunnel channel that carries the connection (the daemon accepts it by id).
    /// </summary>
    [JsonRpcMethod("dial")]
    Task<ulong> DialAsync(string host, int port, CancellationToken cancellationToken);

    /// <summary>
    /// Connects to the Service's cluster address <paramref name="address"/>:<paramref name="port"/> again and again
    /// until new connections reach this agent (<paramref name="toAgent"/>) or no longer do, which is when the node's
    /// kube-proxy has applied a change of the Service's endpoints. False when that was not seen within
    /// <paramref name="timeoutMilliseconds"/> (a cluster whose pods cannot reach themselves through their Service).
    /// </summary>
    [JsonRpcMethod("route")]
    Task<bool> WaitForRouteAsync(string address, int port, bool toAgent, int timeoutMilliseconds, CancellationToken cancellationToken);
}
