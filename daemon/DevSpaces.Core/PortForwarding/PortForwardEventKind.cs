namespace DevSpaces.Core.PortForwarding;

/// <summary>What happened in a forward.</summary>
public enum PortForwardEventKind
{
    /// <summary>A local port is bound and accepting connections.</summary>
    Listening,

    /// <summary>The forward reaches a pod (first time).</summary>
    PodSelected,

    /// <summary>The pod went away or stopped being ready; new connections go to another ready pod.</summary>
    PodSwitched,

    /// <summary>No pod is ready; new connections wait for one. The message says why.</summary>
    NoReadyPod,

    ConnectionOpened,
    ConnectionClosed,

    /// <summary>A connection could not reach the remote port (e.g. nothing listens there); the forward stays up.</summary>
    ConnectionFailed,

    Stopped,
}
