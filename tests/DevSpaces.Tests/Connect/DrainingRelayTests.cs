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

        /// <summary>What the relay handed back: the start of the client's next request, for another server.</summary>
        public byte[]? Next { get; private set; }

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
                Next = await DrainingRelay.RunAsync(relayClientSide.GetStream(), relayServerSide.GetStream(), default, Draining.Token, CancellationToken.None);
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

    private static async Task<string> ReceiveHeadAsync(Socket server, CancellationToken cancellationToken)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            Assert.That(await server.ReceiveAsync(one, cancellationToken), Is.EqualTo(1), "the server receives a whole head");
            head.Append((char)one[0]);
        }

        return head.ToString();
    }

    private const string Answer = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    [Test]
    public async Task Draining_Sends_The_Next_Request_With_Connection_Close_And_The_Client_Sees_The_Answer_Then_The_End()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var relayed = await Relayed.StartAsync(timeout.Token);
        await relayed.Client.WriteAsync("GET /a HTTP/1.1\r\nHost: api\r\nConnection: keep-alive\r\n\r\n"u8.ToArray(), timeout.Token);
        Assert.That(await ReceiveHeadAsync(relayed.Server, timeout.Token), Does.Contain("Connection: keep-alive"), "before draining the request is unchanged");
        await relayed.Server.SendAsync(Encoding.ASCII.GetBytes(Answer), timeout.Token);
        Assert.That(await ReadAsync(relayed.Client, Answer.Length, timeout.Token), Is.EqualTo(Answer));

        // The connection is idle and kept open by the client; the agent starts leaving.
        await relayed.Draining.CancelAsync();
        Assert.That(relayed.Relay.IsCompleted, Is.False, "an idle connection is not cut: the client may be sending on it right now");

        await relayed.Client.WriteAsync("GET /b HTTP/1.1\r\nHost: api\r\nConnection: keep-alive\r\n\r\n"u8.ToArray(), timeout.Token);
        var head = await ReceiveHeadAsync(relayed.Server, timeout.Token);
        Assert.That(head, Is.EqualTo("GET /b HTTP/1.1\r\nHost: api\r\nConnection: close\r\n\r\n"));

        // The server answers and closes, as a request with Connection: close asks.
        await relayed.Server.SendAsync(Encoding.ASCII.GetBytes(Answer.Replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n", StringComparison.Ordinal)), timeout.Token);
        relayed.Server.Shutdown(SocketShutdown.Send);
        var answer = new StreamReader(relayed.Client, Encoding.ASCII);
        Assert.That(await answer.ReadToEndAsync(timeout.Token), Does.StartWith("HTTP/1.1 200 OK").And.EndWith("ok"), "the whole answer, then the end of the connection");
    }

    [Test]
    public async Task Without_Draining_Requests_Pass_Unchanged_And_The_Connection_Stays_Open()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var relayed = await Relayed.StartAsync(timeout.Token);
        for (var i = 0; i < 3; i++)
        {
            await relayed.Client.WriteAsync("GET / HTTP/1.1\r\nHost: api\r\n\r\n"u8.ToArray(), timeout.Token);
            Assert.That(await ReceiveHeadAsync(relayed.Server, timeout.Token), Is.EqualTo("GET / HTTP/1.1\r\nHost: api\r\n\r\n"));
            await relayed.Server.SendAsync(Encoding.ASCII.GetBytes(Answer), timeout.Token);
            Assert.That(await ReadAsync(relayed.Client, Answer.Length, timeout.Token), Is.EqualTo(Answer));
        }

        Assert.That(relayed.Relay.IsCompleted, Is.False);
    }

    [Test]
    public async Task A_Server_That_Ends_An_Idle_Kept_Alive_Connection_Hands_The_Clients_Next_Request_On_Instead_Of_Cutting_It()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var relayed = await Relayed.StartAsync(timeout.Token);
        await relayed.Client.WriteAsync("GET /a HTTP/1.1\r\nHost: api\r\n\r\n"u8.ToArray(), timeout.Token);
        await ReceiveHeadAsync(relayed.Server, timeout.Token);
        await relayed.Server.SendAsync(Encoding.ASCII.GetBytes(Answer), timeout.Token);
        Assert.That(await ReadAsync(relayed.Client, Answer.Length, timeout.Token), Is.EqualTo(Answer));

        // The server goes (a killed tunnel, a pod leaving) while the client keeps the connection for its next request.
        relayed.Server.Shutdown(SocketShutdown.Both);
        relayed.Server.Close();
        var next = "GET /b HTTP/1.1\r\nHost: api\r\n\r\n";
        await relayed.Client.WriteAsync(Encoding.ASCII.GetBytes(next), timeout.Token);
        await relayed.Relay.WaitAsync(timeout.Token);
        Assert.That(relayed.Next is null ? null : Encoding.ASCII.GetString(relayed.Next), Is.EqualTo(next), "the next request is handed back whole, for another server");
    }

    [TestCase("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nok", "an answer cut short")]
    [TestCase("HTTP/1.1 200 OK\r\n\r\nthe body ends with the connection", "an answer whose end is the connection's end")]
    [TestCase("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok", "an answer that announced the end")]
    public async Task A_Server_That_Ends_The_Connection_Otherwise_Ends_It_For_The_Client(string answer, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var relayed = await Relayed.StartAsync(timeout.Token);
        await relayed.Client.WriteAsync("GET /a HTTP/1.1\r\nHost: api\r\n\r\n"u8.ToArray(), timeout.Token);
        await ReceiveHeadAsync(relayed.Server, timeout.Token);
        await relayed.Server.SendAsync(Encoding.ASCII.GetBytes(answer), timeout.Token);
        relayed.Server.Shutdown(SocketShutdown.Send);

        var received = await new StreamReader(relayed.Client, Encoding.ASCII).ReadToEndAsync(timeout.Token);
        Assert.That(received, Is.EqualTo(answer), $"{what}: the client gets what was sent, then the end");
        relayed.Client.Socket.Shutdown(SocketShutdown.Send);
        await relayed.Relay.WaitAsync(timeout.Token);
        Assert.That(relayed.Next, Is.Null);
    }

    [TestCase("GET /b HTTP/1.1\r\nHost: api\r\n\r\n", true)]
    [TestCase("DELETE /b HTTP/1.1\r\nHost: api\r\n\r\n", true)]
    [TestCase("POST /b HTTP/1.1\r\nHost: api\r\nContent-Length: 2\r\n\r\nhi", false)]
    public async Task A_Request_The_Server_Took_And_Left_Unanswered_Is_Handed_Back_Only_When_Sending_It_Again_Is_Safe(string request, bool handedBack)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var relayed = await Relayed.StartAsync(timeout.Token);
        await relayed.Client.WriteAsync(Encoding.ASCII.GetBytes(request), timeout.Token);
        await ReceiveHeadAsync(relayed.Server, timeout.Token);

        // The server vanishes with the request and without a byte of answer.
        relayed.Server.Shutdown(SocketShutdown.Both);
        relayed.Server.Close();
        if (handedBack)
        {
            await relayed.Relay.WaitAsync(timeout.Token);
            Assert.That(relayed.Next is null ? null : Encoding.ASCII.GetString(relayed.Next), Is.EqualTo(request), "an idempotent request goes to the next server");
        }
        else
        {
            Assert.That(await new StreamReader(relayed.Client, Encoding.ASCII).ReadToEndAsync(timeout.Token), Is.Empty, "the client sees the end: a POST is never sent twice");
            relayed.Client.Socket.Shutdown(SocketShutdown.Send);
            await relayed.Relay.WaitAsync(timeout.Token);
            Assert.That(relayed.Next, Is.Null);
        }
    }
}
