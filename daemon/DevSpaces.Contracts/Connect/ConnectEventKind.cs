namespace DevSpaces.Contracts;

/// <summary>What happened in a connect session.</summary>
public enum ConnectEventKind
{
    /// <summary>A step of setting up (image, takeover, agent start).</summary>
    Progress,

    /// <summary>The tunnel to the agent is up (first time).</summary>
    Connected,

    /// <summary>The tunnel dropped (agent pod gone, network); the session reconnects.</summary>
    TunnelLost,

    /// <summary>The tunnel is up again.</summary>
    Reconnected,

    /// <summary>A request arrived but nothing listens on the local port; the client got a 502 text.</summary>
    LocalPortNotListening,

    /// <summary>The local process could not reach a cluster service.</summary>
    OutboundFailed,

    /// <summary>The workload was restored (by this session, or by the agent when the heartbeat stopped).</summary>
    Restored,

    /// <summary>Remains of a crashed session were cleaned up before connecting.</summary>
    Cleaned,

    /// <summary>Something the user should know that does not stop the session: a mount that is not copied, a probe or
    /// port that could not be carried over.</summary>
    Warning,
}
