using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using DevSpaces.Agent;

namespace DevSpaces.Tests.Connect;

/// <summary>
/// The agent's route probe on this machine's loopback: a listener that screens its connections with the probe stands
/// for the agent, one that does not for the original pods; kube-proxy's part (which of them the Service's address leads
/// to) is what the cluster tests cover.
/// </summary>
public sealed class RouteProbeTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Test]
    public async Task A_Probe_That_Arrives_At_The_Agents_Listener_Says_The_Route_Reaches_The_Agent_And_Is_Not_Carried()
    {
        var lines = new ConcurrentQueue<string>();
        var probe = new RouteProbe(lines.Enqueue);
        using var agent = new Listener(probe);

        Assert.That(await probe.WaitAsync(IPAddress.Loopback, agent.Port, toAgent: true, Patience, CancellationToken.None), Is.True);
        Assert.That(() => agent.Empty, Is.EqualTo(1).After(5000, 20), "the probe's connection ended without a byte at the agent's listener");
        Assert.That(agent.Carried, Is.Empty, "a probe's connection is never carried on to the daemon");
        Assert.That(lines, Has.Some.Contains("reach this agent"));
    }

    [Test]
    public async Task A_Probe_Accepted_Elsewhere_Says_The_Route_Has_Left_The_Agent()
    {
        var probe = new RouteProbe(_ => { });
        using var original = new Listener(screens: null);

        Assert.That(await probe.WaitAsync(IPAddress.Loopback, original.Port, toAgent: false, Patience, CancellationToken.None), Is.True);
        Assert.That(() => original.Carried.Count, Is.EqualTo(1).After(5000, 20), "the original saw one connection open and close");
    }

    [Test]
    public async Task A_Route_That_Still_Leads_Elsewhere_Is_Not_Taken_For_The_Agent_And_The_Wait_Ends_At_Its_Limit()
    {
        var lines = new ConcurrentQueue<string>();
        var probe = new RouteProbe(lines.Enqueue);
        using var original = new Listener(screens: null);

        Assert.That(await probe.WaitAsync(IPAddress.Loopback, original.Port, toAgent: true, TimeSpan.FromMilliseconds(900), CancellationToken.None), Is.False);
        Assert.That(() => original.Carried.Count, Is.GreaterThanOrEqualTo(2).After(5000, 20), "it kept probing until its limit");
        Assert.That(lines, Has.Some.Contains("did not reach this agent within"));
    }

    [Test]
    public async Task A_Route_Where_Nothing_Answers_Is_Neither_The_Agent_Nor_Elsewhere()
    {
        var probe = new RouteProbe(_ => { });
        int closedPort;
        using (var gone = new TcpListener(IPAddress.Loopback, 0))
        {
            gone.Start();
            closedPort = ((IPEndPoint)gone.LocalEndpoint).Port;
        }

        Assert.That(await probe.WaitAsync(IPAddress.Loopback, closedPort, toAgent: false, TimeSpan.FromMilliseconds(500), CancellationToken.None), Is.False);
        Assert.That(await probe.WaitAsync(IPAddress.Loopback, closedPort, toAgent: true, TimeSpan.FromMilliseconds(500), CancellationToken.None), Is.False);
    }

    [Test]
    public async Task While_A_Probe_Runs_A_Clients_First_Bytes_Are_Handed_On_And_A_Silent_Client_Is_Carried_Too()
    {
        var probe = new RouteProbe(_ => { });
        using var agent = new Listener(probe);
        using var elsewhere = new Listener(screens: null);
        using var stop = new CancellationTokenSource();

        // A probe that never sees the agent, so that screening stays on while the clients below connect.
        var probing = probe.WaitAsync(IPAddress.Loopback, elsewhere.Port, toAgent: true, Patience, stop.Token);
        Assert.That(probe.Running, Is.True);

        using var talking = new TcpClient();
        await talking.ConnectAsync(IPAddress.Loopback, agent.Port);
        await talking.GetStream().WriteAsync("GET / HTTP/1.1\r\n"u8.ToArray());
        using var silent = new TcpClient();
        await silent.ConnectAsync(IPAddress.Loopback, agent.Port);

        Assert.That(() => agent.Carried.Count, Is.EqualTo(2).After(5000, 20));
        Assert.That(agent.Carried, Does.Contain("GET / HTTP/1.1\r\n"), "the bytes read while screening go on with the connection");
        Assert.That(agent.Carried, Does.Contain(string.Empty), "a client that waits for the server to speak is carried after the screening time");
        Assert.That(agent.Empty, Is.Zero);

        await stop.CancelAsync();
        Assert.That(async () => await probing, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(probe.Running, Is.False);
    }

    [Test]
    public async Task Without_A_Probe_Running_Connections_Are_Not_Screened()
    {
        var probe = new RouteProbe(_ => { });
        var (near, far) = await ConnectedPairAsync();
        using (near)
        using (far)
        {
            var first = await probe.ScreenAsync(far.Client, CancellationToken.None);
            Assert.That(first, Is.Not.Null);
            Assert.That(first!.Value.Length, Is.Zero, "nothing was read from the connection");
        }
    }

    private static async Task<(TcpClient Near, TcpClient Far)> ConnectedPairAsync()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var near = new TcpClient();
        var accepting = listener.AcceptTcpClientAsync();
        await near.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        return (near, await accepting);
    }

    /// <summary>
    /// Accepts connections as the agent's service listener does: each is screened by the probe (when given); one that
    /// ended without a byte counts as empty, any other as carried, with the bytes the screening read.
    /// </summary>
    private sealed class Listener : IDisposable
    {
        private readonly TcpListener listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource stop = new();
        private readonly ConcurrentQueue<string> carried = new();
        private int empty;

        public Listener(RouteProbe? screens)
        {
            listener.Start();
            _ = AcceptAsync(screens);
        }

        public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

        public int Empty => Volatile.Read(ref empty);

        public IReadOnlyCollection<string> Carried => carried;

        private async Task AcceptAsync(RouteProbe? screens)
        {
            try
            {
                while (true)
                {
                    var client = await listener.AcceptTcpClientAsync(stop.Token);
                    _ = Task.Run(async () =>
                    {
                        using (client)
                        {
                            var first = screens is null ? ReadOnlyMemory<byte>.Empty : await screens.ScreenAsync(client.Client, stop.Token);
                            if (first is null)
                            {
                                Interlocked.Increment(ref empty);
                            }
                            else
                            {
                                carried.Enqueue(Encoding.ASCII.GetString(first.Value.Span));
                            }
                        }
                    });
                }
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
            }
        }

        public void Dispose()
        {
            stop.Cancel();
            listener.Stop();
            stop.Dispose();
        }
    }
}
