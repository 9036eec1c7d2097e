namespace DevSpaces.Core.PortForwarding;

/// <summary>Opens one connection to a port of a pod, carried by its own WebSocket.</summary>
public interface IPodPortConnector : IPodChannelOpener
{
    Task<PodPortChannel> ConnectAsync(string @namespace, string pod, int port, CancellationToken cancellationToken);

    async Task<IPodChannel> IPodChannelOpener.OpenAsync(string @namespace, string pod, int port, CancellationToken cancellationToken) =>
        await ConnectAsync(@namespace, pod, port, cancellationToken).ConfigureAwait(false);
}
