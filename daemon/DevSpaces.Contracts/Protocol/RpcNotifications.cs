namespace DevSpaces.Contracts;

/// <summary>Notifications the daemon sends to its client; params are sent as one object.</summary>
public static class RpcNotifications
{
    /// <summary>The connection to the cluster changed.</summary>
    [RpcNotification(typeof(ConnectionStatus))]
    public const string ConnectionStatus = "connection/status";

    /// <summary>A space was added, changed or deleted (seen by a watch).</summary>
    [RpcNotification(typeof(SpaceChange))]
    public const string SpaceChanged = "space/changed";

    /// <summary>A service in a space was added, changed or deleted (seen by a watch).</summary>
    [RpcNotification(typeof(ServiceChange))]
    public const string ServiceChanged = "service/changed";

    /// <summary>The workspace's context or selected space changed.</summary>
    [RpcNotification(typeof(Selection))]
    public const string SelectionChanged = "selection/changed";

    /// <summary>Progress and faults of a connect session.</summary>
    [RpcNotification(typeof(ConnectEventInfo))]
    public const string ConnectEvent = "connect/event";
    /// <summary>Something happened in a port forward (listening, pod switch, connection failures…).</summary>
    [RpcNotification(typeof(PortForwardEventInfo))]
    public const string PortForwardEvent = "portForward/event";

    /// <summary>A line of image build output or a push/pull status.</summary>
    [RpcNotification(typeof(ImageProgressInfo))]
    public const string ImageProgress = "image/progress";

    /// <summary>Steps, build output, container log lines, syncs and restarts of a service that is up.</summary>
    [RpcNotification(typeof(UpEventInfo))]
    public const string UpEvent = "up/event";
}
