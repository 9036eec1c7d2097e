namespace DevSpaces.Core.PortForwarding;

/// <summary>One multiplexed connection to a pod's port-forward endpoint, carrying many pod connections.</summary>
public interface IPodSession : IAsyncDisposable
{
    /// <summary>False once the connection ended or the server asked to stop opening streams on it.</summary>
    bool IsOpen { get; }

    /// <summary>Pod connections still open on it.</summary>
    int ActiveChannels { get; }

    Task<IPodChannel> OpenAsync(int port, CancellationToken cancellationToken);
}

/// <summary>Opens a multiplexed connection to a pod; throws <see cref="PortForwardUpgradeRefusedException"/> where the server does not offer one.</summary>
public interface IPodSessionDialer
{
    Task<IPodSession> DialAsync(string @namespace, string pod, CancellationToken cancellationToken);
}
