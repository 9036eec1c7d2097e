using System.Net.WebSockets;
using DevSpaces.Core.Connect;
using DevSpaces.Core.PortForwarding;
using DevSpaces.Helper.Protocol;
using Nerdbank.Streams;

namespace DevSpaces.Tests.PortForwarding;

/// <summary>A connection to a pod port carried by its own WebSocket, as the stream the helper's frames run on.</summary>
public class PodPortChannelTests
{
    [Test]
    public void A_Send_After_The_WebSocket_Was_Aborted_Fails_As_An_IOException()
    {
        // A send cancelled half way (the program ended while its input was being sent) aborts the WebSocket.
        var (socket, _) = ConnectedPair();
        var channel = new PodPortChannel(socket);
        socket.Abort();

        var frame = new byte[channel.Headroom + 3];
        var error = Assert.ThrowsAsync<IOException>(async () => await channel.WriteAsync(frame, 3, CancellationToken.None));

        Assert.That(error!.Message, Does.StartWith("The connection to the pod ended"));
        Assert.That(error.InnerException, Is.InstanceOf<WebSocketException>());
    }

    [Test]
    public async Task A_Helper_Connection_With_A_Frame_Left_Unsent_On_An_Aborted_WebSocket_Closes_Without_An_Error()
    {
        var (socket, _) = ConnectedPair();
        var frames = new FrameStream(new PodPortStream(new PodPortChannel(socket)));
        await frames.WriteAsync(HelperFrameKind.Stdin, 1, ReadOnlyMemory<byte>.Empty, CancellationToken.None);
        socket.Abort();

        Assert.DoesNotThrowAsync(async () => await frames.DisposeAsync());
    }

    [Test]
    public async Task Bytes_Sent_On_An_Open_WebSocket_Arrive_On_The_Data_Channel()
    {
        var (socket, server) = ConnectedPair();
        var channel = new PodPortChannel(socket);
        var frame = new byte[channel.Headroom + 2];
        frame[1] = (byte)'h';
        frame[2] = (byte)'i';

        await channel.WriteAsync(frame, 2, CancellationToken.None);

        var received = new byte[16];
        var result = await server.ReceiveAsync(received, new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        Assert.That(received[..result.Count], Is.EqualTo(new byte[] { 0, (byte)'h', (byte)'i' }), "channel 0, then the data");
    }

    private static (WebSocket Client, WebSocket Server) ConnectedPair()
    {
        var (clientStream, serverStream) = FullDuplexStream.CreatePair();
        return (
            WebSocket.CreateFromStream(clientStream, isServer: false, subProtocol: null, keepAliveInterval: TimeSpan.Zero),
            WebSocket.CreateFromStream(serverStream, isServer: true, subProtocol: null, keepAliveInterval: TimeSpan.Zero));
    }
}
