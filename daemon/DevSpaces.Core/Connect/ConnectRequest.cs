namespace DevSpaces.Core.Connect;

/// <summary>What to connect: a Service of a namespace, served by the local process on <see cref="LocalPort"/>.</summary>
public sealed record ConnectRequest(string Namespace, string Service, int LocalPort)
{
    /// <summary>The container to stand in for, when the pods have several.</summary>
    public string? Container { get; init; }

    /// <summary>Copy the files of the container's configMap/secret/projected/downwardAPI mounts to a session folder (on by default).</summary>
    public bool CopyMounts { get; init; } = true;

    /// <summary>Give each cluster Service its own loopback address on its real ports and name it in a hosts-file section (opt-in).</summary>
    public bool WriteHosts { get; init; }

    /// <summary>Keep the original replicas running and point the Service's selector at the agent instead.</summary>
    public bool KeepOriginal { get; init; }

    /// <summary>Give the agent the container's HTTP/TCP probes (answered by the local process) instead of its own.</summary>
    public bool ForwardProbes { get; init; }

    /// <summary>
    /// Take the Service over for the child space <see cref="Namespace"/> only: requests routed to it reach the local
    /// process, everyone else's keep reaching the parent spaces' pods, which are not changed.
    /// </summary>
    public bool Isolated { get; init; }
}
