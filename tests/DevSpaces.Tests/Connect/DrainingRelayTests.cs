using System.Net;
using System.Net.Sockets;
using System.Text;
using DevSpaces.Agent;

namespace DevSpaces.Tests.Connect;

/// <summary>
/// The agent's relay of a cluster client's connection, with real sockets: when its pod goes away it closes a
/// keep-alive connection only once an answer is complete and the connection is idle, never in the middle of one.
/// </summary>
public sealed class DrainingRelayTests
{
    /// <summary>A client socket, a server socket, and the relay between them.</summary>
    private sealed class Relayed : IAsyncDisposable
    {
        private readonly TcpListener clients = new(IPAddress.Loopback, 0);
        private readonly TcpListener servers = new(IPAddress.Loopback, 0);
        private TcpClient client = null!;
        private TcpClient relayClientSide = null!;
        private TcpClient relayServerSide = null!;
        private Socket server = null!;

        public CancellationTokenSource Draining { get; } = new();

        public Task Relay { get; private set; } = Task.CompletedTask;

        public NetworkStream Client => client.GetStream();

        public Socket Server => server;

        public static async Task<Relayed> StartAsync(CancellationToken cancellationToken)
        {
            var relayed = new Relayed();
            relayed.clients.Start();
            relayed.servers.Start();
            relayed.client = new TcpClient();
            await relayed.client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)relayed.clients.LocalEndpoint).Port, cancellationToken);
            relayed.relayClientSide = await relayed.clients.AcceptTcpClientAsync(cancellationToken);
            relayed.relayServerSide = new TcpClient();
            await relayed.relayServerSide.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)relayed.servers.LocalEndpoint).Port, cancellationToken);
            relayed.server = await relayed.servers.AcceptSocketAsync(cancellationToken);
            relayed.Relay = relayed.RelayAsync();
            return relayed;
        }

        /// <summary>As the agent carries a connection: relayed, then both sockets closed.</summary>
        private async Task RelayAsync()
        {
            using (relayClientSide)
            using (relayServerSide)
            {
                await DrainingRelay.RunAsync(relayClientSide.GetStream(), relayServerSide.GetStream(), Draining.Token, CancellationToken.None);
            }
        }

        public async ValueTask DisposeAsync()
        {
            client.Dispose();
            server.Dispose();
            await Relay.WaitAsync(TimeSpan.FromSeconds(10));
            clients.Stop();
            servers.Stop();
            Draining.Dispose();
        }
    }

    private static async Task<string> ReadAsync(NetworkStream stream, int count, CancellationToken cancellationToken)
    {
        var buffer = new byte[count];
        await stream.ReadExactlyAsync(buffer, cancellationToken);
        return Encoding.ASCII.GetString(buffer);
    }

    [Test]
    public async Task Draining_Closes_An_Idle_Connection_After_Its_Last_Answer()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var relayed = await Relayed.StartAsync(timeout.Token);
        await relayed.Client.WriteAsync("ask"u8.ToArray(), timeout.Token);
        var request = new byte[3];
        await relayed.Server.ReceiveAsync(request, timeout.Token);
        await relayed.Server.SendAsync("answer"u8.ToArray(), timeout.Token);
        Assert.That(await ReadAsync(relayed.Client, 6, timeout.Token), Is.EqualTo("answer"));

        await relayed.Draining.CancelAsync();

        Assert.That(await relayed.Client.ReadAsync(new byte[1], timeout.Token), Is.Zero, "the client sees the connection end");
        await relayed.Relay.WaitAsync(timeout.Token);
    }

    [Test]
    public async Task Draining_Waits_For_An_Answer_In_Progress_Before_Closing()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var relayed = await Relayed.StartAsync(timeout.Token);
        await relayed.Client.WriteAsync("ask"u8.ToArray(), timeout.Token);
        await relayed.Server.ReceiveAsync(new byte[3], timeout.Token);

        // The request is with the server and no answer has come yet: the connection is busy, not idle.
        await relayed.Draining.CancelAsync();
        await Task.Delay(200, timeout.Token);
        Assert.That(relayed.Relay.IsCompleted, Is.False, "a connection waiting for its answer is not closed");

        await relayed.Server.SendAsync("ans"u8.ToArray(), timeout.Token);
        await relayed.Server.SendAsync("wer"u8.ToArray(), timeout.Token);
        Assert.That(await ReadAsync(relayed.Client, 6, timeout.Token), Is.EqualTo("answer"), "the whole answer arrives");
        Assert.That(await relayed.Client.ReadAsync(new byte[1], timeout.Token), Is.Zero, "then the connection ends");
    }

    [Test]
    public async Task Without_Draining_An_Idle_Connection_Stays_Open()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var relayed = await Relayed.StartAsync(timeout.Token);
        await relayed.Client.WriteAsync("ask"u8.ToArray(), timeout.Token);
        await relayed.Server.ReceiveAsync(new byte[3], timeout.Token);
        await relayed.Server.SendAsync("answer"u8.ToArray(), timeout.Token);
        Assert.That(await ReadAsync(relayed.Client, 6, timeout.Token), Is.EqualTo("answer"));

        await Task.Delay(200, timeout.Token);
        Assert.That(relayed.Relay.IsCompleted, Is.False);
        await relayed.Client.WriteAsync("again"u8.ToArray(), timeout.Token);
        var again = new byte[5];
        await relayed.Server.ReceiveAsync(again, timeout.Token);
        Assert.That(Encoding.ASCII.GetString(again), Is.EqualTo("again"));
    }
}
