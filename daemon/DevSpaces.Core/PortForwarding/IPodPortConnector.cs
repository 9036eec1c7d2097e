namespace DevSpaces.Core.PortForwarding;

/// <summary>Opens one connection to a port of a pod.</summary>
public interface IPodPortConnector
{
    Task<PodPortChannel> ConnectAsync(string @namespace, string pod, int port, CancellationToken cancellationToken);
}
