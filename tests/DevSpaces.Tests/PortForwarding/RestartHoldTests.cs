using System.Net;
using System.Net.Sockets;
using System.Text;
using DevSpaces.Core.PortForwarding;
using DevSpaces.Core.Watch;
using DevSpaces.Tests.Support;
using DevSpaces.Tests.Watch;
using k8s.Models;

namespace DevSpaces.Tests.PortForwarding;

/// <summary>
/// A forward held while the app behind it restarts, in process: the "pod" is a loopback listener standing for the
/// app's process; each process answers every new connection with its name and keeps it open.
/// </summary>
public sealed class RestartHoldTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Test]
    public async Task A_Connection_Made_During_The_Hold_Waits_And_Reaches_The_New_Process()
    {
        await using var first = new FakeApp("v1");
        var opener = new LoopbackOpener(first.Port);
        await using var forward = await StartAsync(opener);

        var hold = forward.HoldForRestart();
        using var during = await ConnectAsync(forward);
        await Poll.UntilAsync(() => forward.HeldConnections == 1, Timeout, () => "the connection waits at the hold", TimeSpan.FromMilliseconds(5));
        // The old process still listens here, as it does until the helper stops it: a connection let through now would read v1.
        await using var second = new FakeApp("v2");
        opener.Port = second.Port;
        hold.Dispose();

        Assert.That(await ReadAsync(during), Is.EqualTo("v2"));
        Assert.That(first.Accepted, Is.Zero, "nothing reached the process being replaced");
    }

    [Test]
    public async Task Releasing_The_Hold_Ends_Connections_Opened_Before_It_And_Keeps_Later_Ones()
    {
        await using var first = new FakeApp("v1");
        var opener = new LoopbackOpener(first.Port);
        await using var forward = await StartAsync(opener);
        using var before = await ConnectAsync(forward);
        Assert.That(await ReadAsync(before), Is.EqualTo("v1"));

        using (forward.HoldForRestart())
        {
            // The old process's connections stay open on its side: only the release may end the client's.
            await using var second = new FakeApp("v2");
            opener.Port = second.Port;
        }

        await using var third = new FakeApp("v3");
        opener.Port = third.Port;
        Assert.That(await ReadAsync(before), Is.Empty, "the connection to the replaced process ends (EOF)");
        using var after = await ConnectAsync(forward);
        Assert.That(await ReadAsync(after), Is.EqualTo("v3"));
        using (forward.HoldForRestart())
        {
        }

        Assert.That(await ReadAsync(after), Is.Empty, "a connection opened after one restart ends at the next");
    }

    [Test]
    public async Task Holds_Taken_Together_Release_Only_When_The_Last_Ends()
    {
        await using var app = new FakeApp("v1");
        await using var forward = await StartAsync(new LoopbackOpener(app.Port));
        var outer = forward.HoldForRestart();
        var inner = forward.HoldForRestart();
        using var waiting = await ConnectAsync(forward);
        await Poll.UntilAsync(() => forward.HeldConnections == 1, Timeout, () => "the connection waits at the hold", TimeSpan.FromMilliseconds(5));
        inner.Dispose();
        inner.Dispose();
        Assert.That(forward.IsHolding, Is.True, "one hold is still taken, even after the other was disposed twice");
        outer.Dispose();
        Assert.That(forward.IsHolding, Is.False);
        Assert.That(await ReadAsync(waiting), Is.EqualTo("v1"));
    }

    private static Task<PortForwardSession> StartAsync(IPodChannelOpener opener) =>
        PortForwardSession.StartAsync(
            new OnePodTargets(),
            opener,
            new PortForwardRequest(PortForwardTarget.Parse("deployment/web", "dev"), [PortMapping.Parse("0:8080")]) { ReadyPodTimeout = Timeout },
            null,
            CancellationToken.None);

    private static async Task<TcpClient> ConnectAsync(PortForwardSession forward)
    {
        var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, forward.Ports[0].LocalEndPoint.Port);
        return client;
    }

    /// <summary>What the connection carries up to the next pause of 0 bytes: the process's name, or "" at EOF.</summary>
    private static async Task<string> ReadAsync(TcpClient client)
    {
        var buffer = new byte[16];
        using var timeout = new CancellationTokenSource(Timeout);
        var read = await client.GetStream().ReadAsync(buffer, timeout.Token);
        return Encoding.ASCII.GetString(buffer, 0, read);
    }

    private sealed class FakeApp : IAsyncDisposable
    {
        private readonly TcpListener listener = new(IPAddress.Loopback, 0);
        private readonly List<Socket> connections = [];
        private readonly Task serving;
        private int accepted;

        public FakeApp(string name)
        {
            listener.Start();
            serving = Task.Run(async () =>
            {
                try
                {
                    while (true)
                    {
                        var socket = await listener.AcceptSocketAsync();
                        Interlocked.Increment(ref accepted);
                        lock (connections)
                        {
                            connections.Add(socket);
                        }

                        await socket.SendAsync(Encoding.ASCII.GetBytes(name));
                    }
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
                {
                }
            });
        }

        public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

        public int Accepted => Volatile.Read(ref accepted);

        public async ValueTask DisposeAsync()
        {
            listener.Stop();
            await serving;
            lock (connections)
            {
                connections.ForEach(c => c.Dispose());
            }
        }
    }

    /// <summary>Opens pod connections as loopback connections to whichever port stands for the app now.</summary>
    private sealed class LoopbackOpener(int port) : IPodChannelOpener
    {
        public int Port { get; set; } = port;

        public async Task<IPodChannel> OpenAsync(string @namespace, string pod, int remotePort, CancellationToken cancellationToken)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(IPAddress.Loopback, Port, cancellationToken);
            return new SocketChannel(socket);
        }
    }

    private sealed class SocketChannel(Socket socket) : IPodChannel
    {
        public int Headroom => 0;

        public string? Error => null;

        public bool HasEnded => false;

        public ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken) => socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);

        public async ValueTask WriteAsync(Memory<byte> frame, int count, CancellationToken cancellationToken) =>
            await socket.SendAsync(frame[..count], SocketFlags.None, cancellationToken);

        public ValueTask CompleteWritesAsync(CancellationToken cancellationToken)
        {
            socket.Shutdown(SocketShutdown.Send);
            return ValueTask.CompletedTask;
        }

        public void StartEarlyRead()
        {
        }

        public ValueTask DisposeAsync()
        {
            socket.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    private sealed class OnePodTargets : IForwardTargets
    {
        public Task<ResolvedTarget> ResolveAsync(PortForwardTarget target, CancellationToken cancellationToken) =>
            Task.FromResult(new ResolvedTarget(target, new PodSelection(target.Namespace, "app=web", null), null));

        public IWatchSource<V1Pod> PodsOf(PodSelection selection) => new ScriptedWatchSource<V1Pod>().List("1", new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "web-1", ResourceVersion = "1", CreationTimestamp = DateTime.UnixEpoch },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Ports = [new V1ContainerPort { ContainerPort = 8080 }] }] },
            Status = new V1PodStatus { Phase = "Running", Conditions = [new V1PodCondition { Type = "Ready", Status = "True" }] },
        });
    }
}
