namespace DevSpaces.Contracts;

/// <summary>What happened in a forward.</summary>
public enum ForwardEventKind
{
    /// <summary>A local port is bound and accepting connections.</summary>
    Listening,

    /// <summary>The forward reaches a pod.</summary>
    PodSelected,

    /// <summary>The pod went away or stopped being ready; new connections go to another ready pod.</summary>
    PodSwitched,

    /// <summary>No pod is ready; the message says why. New connections wait.</summary>
    NoReadyPod,

    /// <summary>A local connection was accepted and reached the pod.</summary>
    ConnectionOpened,

    /// <summary>A connection ended normally.</summary>
    ConnectionClosed,

    /// <summary>A connection could not reach the remote port (e.g. nothing listens there); the forward stays up.</summary>
    ConnectionFailed,

    /// <summary>The forward stopped.</summary>
    Stopped,
}
