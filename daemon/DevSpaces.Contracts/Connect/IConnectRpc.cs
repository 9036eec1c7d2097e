using StreamJsonRpc;

namespace DevSpaces.Contracts;

/// <summary>Connect: serve a Service of a space from a process on this machine.</summary>
[JsonRpcContract]
public partial interface IConnectRpc
{
    /// <summary>
    /// Takes <paramref name="service"/> over: cluster clients reach <paramref name="localPort"/> on this machine, and
    /// the result carries the environment for the local process. Progress and faults arrive as <c>connect/event</c>.
    /// <paramref name="mounts"/> copies the container's configMap/secret/projected/downwardAPI mounts to a session
    /// folder (on by default); <paramref name="hosts"/> adds a hosts-file section so Service names resolve to their own
    /// loopback addresses (opt-in; needs the right to write the hosts file and, for ports below 1024, to bind them).
    /// The Service's selector is pointed at the agent once it is ready; the original replicas are scaled to 0 after
    /// that, or with <paramref name="keepOriginal"/> keep running; with <paramref name="forwardProbes"/> the agent gets
    /// the container's HTTP and TCP probes, answered by the local process, instead of answering its own. With
    /// <paramref name="isolated"/> the service is taken over for the child space <paramref name="space"/> only: an agent
    /// and a Service of the same name are made in that space, so the root's router sends the requests routed to it (and
    /// its descendants) here, and everyone else's keep reaching the pods of the parent spaces, which are not changed.
    /// </summary>
    [JsonRpcMethod("connect/start")]
    Task<ConnectInfo> StartConnectAsync(string service, int localPort, string? space = null, string? container = null, bool mounts = true, bool hosts = false, bool keepOriginal = false, bool forwardProbes = false, bool isolated = false, CancellationToken cancellationToken = default);

    /// <summary>Ends a session and restores the service; unknown sessions are fine (restoring twice is harmless).</summary>
    [JsonRpcMethod("connect/stop")]
    Task StopConnectAsync(string session, CancellationToken cancellationToken = default);

    /// <summary>The sessions of this daemon.</summary>
    [JsonRpcMethod("connect/list")]
    Task<ConnectList> ListConnectionsAsync(CancellationToken cancellationToken = default);
}
