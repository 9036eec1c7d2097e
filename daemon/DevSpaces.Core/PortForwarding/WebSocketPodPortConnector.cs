using k8s;

namespace DevSpaces.Core.PortForwarding;

/// <summary>Connects through the API server's WebSocket port-forward, one WebSocket per connection.</summary>
public sealed class WebSocketPodPortConnector(IKubernetes client) : IPodPortConnector
{
    public async Task<PodPortChannel> ConnectAsync(string @namespace, string pod, int port, CancellationToken cancellationToken)
    {
        var socket = await client.WebSocketNamespacedPodPortForwardAsync(
            pod, @namespace, [port], "v4.channel.k8s.io", cancellationToken: cancellationToken).ConfigureAwait(false);
        return new PodPortChannel(socket);
    }
}
