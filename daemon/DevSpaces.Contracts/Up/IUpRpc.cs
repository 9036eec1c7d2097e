using StreamJsonRpc;

namespace DevSpaces.Contracts;

/// <summary>Run a service's code in the cluster: build, deploy, sync every saved change, stream its output.</summary>
[JsonRpcContract]
public partial interface IUpRpc
{
    /// <summary>
    /// Builds the image of the service whose <c>devspaces.yaml</c> is in <paramref name="folder"/>, deploys it into the
    /// space, waits until it is ready, forwards its port to this machine and, with <paramref name="watch"/>, keeps the
    /// container in step with the folder until <c>up/stop</c>. Returns once the service answers; what happens next
    /// (each sync, restart, rebuild, the container's log lines) arrives as <c>up/event</c>. <paramref name="localPort"/>
    /// is the forward's local port when devspaces.yaml gives none (default: a free one); <paramref name="buildArgs"/>
    /// (NAME=value each) override those of devspaces.yaml (for example a base image the cluster has). With
    /// <paramref name="debug"/> the app starts with its runtime's debugger on the pod's loopback (waiting for it before
    /// the first line with <paramref name="stopOnEntry"/>), the container has no probes, and the debug port is
    /// forwarded to <paramref name="debugPort"/> (default: a free one); <see cref="UpInfo.Debug"/> says how to attach.
    /// </summary>
    [JsonRpcMethod("up/start")]
    Task<UpInfo> StartUpAsync(string folder, string? space = null, int? localPort = null, bool watch = true, IReadOnlyList<string>? buildArgs = null, bool debug = false, bool stopOnEntry = false, int? debugPort = null, CancellationToken cancellationToken = default);

    /// <summary>Stops watching and streaming; the service keeps running in the space (<c>down</c> removes it).</summary>
    [JsonRpcMethod("up/stop")]
    Task StopUpAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>The services this daemon keeps up.</summary>
    [JsonRpcMethod("up/list")]
    Task<UpList> ListUpAsync(CancellationToken cancellationToken = default);

    /// <summary>Removes exactly what <c>up</c> of the service in <paramref name="folder"/> put into the space, and puts back what it replaced.</summary>
    [JsonRpcMethod("down")]
    Task<DownInfo> DownAsync(string folder, string? space = null, CancellationToken cancellationToken = default);
}
