using System.Net;
using System.Net.Sockets;
using DevSpaces.Agent;

namespace DevSpaces.Tests.Connect;

public sealed class QuickAckStreamTests
{
    private const int IpProtoTcp = 6;
    private const int TcpQuickAck = 12;

    [Test]
    public async Task A_Read_Through_The_Agents_Tunnel_Socket_Turns_Delayed_Acknowledgements_Off_Again()
    {
        Assume.That(OperatingSystem.IsLinux(), "TCP_QUICKACK is a Linux option; the agent runs on Linux");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var relay = new TcpClient { NoDelay = false };
        await relay.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port, timeout.Token);
        using var accepted = await listener.AcceptSocketAsync(timeout.Token);
        var relayStream = relay.GetStream();
        var buffer = new byte[16];

        // Request/response turns put a long-lived connection into the kernel's interactive mode: ACKs are delayed.
        for (var i = 0; i < 8 && QuickAck(accepted); i++)
        {
            await relayStream.WriteAsync(new[] { (byte)i }, timeout.Token);
            await accepted.ReceiveAsync(buffer, timeout.Token);
            await accepted.SendAsync(new[] { (byte)i }, timeout.Token);
            await relayStream.ReadExactlyAsync(buffer.AsMemory(0, 1), timeout.Token);
        }

        Assume.That(QuickAck(accepted), Is.False, "the kernel delays ACKs on this connection now");

        await using var tunnel = new QuickAckStream(accepted);
        await relayStream.WriteAsync(new byte[] { 42 }, timeout.Token);
        Assert.That(await tunnel.ReadAsync(buffer, timeout.Token), Is.EqualTo(1));
        Assert.That(buffer[0], Is.EqualTo(42));
        Assert.That(QuickAck(accepted), Is.True, "after a read the socket acknowledges at once");

        await tunnel.WriteAsync(new byte[] { 43 }, timeout.Token);
        await relayStream.ReadExactlyAsync(buffer.AsMemory(0, 1), timeout.Token);
        Assert.That(buffer[0], Is.EqualTo(43), "writes pass through unchanged");
    }

    private static bool QuickAck(Socket socket)
    {
        var value = new byte[4];
        socket.GetRawSocketOption(IpProtoTcp, TcpQuickAck, value);
        return BitConverter.ToInt32(value) != 0;
    }
}
