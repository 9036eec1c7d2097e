using DevSpaces.Core.Errors;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using DevSpaces.Contracts;
using DevSpaces.Core.PortForwarding;
using k8s;
using k8s.Models;

namespace DevSpaces.ClusterTests.PortForwarding;

public class PortForwardTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private Kubernetes _client = null!;
    private string _ns = "";

    [OneTimeSetUp]
    public async Task DeployTestServer()
    {
        _client = TestCluster.Connect();
        _ns = await TestServerDeployment.DeployInNewNamespaceAsync(_client, "ds-pf");
    }

    [OneTimeTearDown]
    public async Task DeleteNamespace()
    {
        if (_ns.Length > 0)
        {
            await TestCluster.DeleteNamespaceAsync(_client, _ns);
        }

        _client?.Dispose();
    }

    [Test]
    public async Task A_Large_Transfer_Round_Trips_Intact()
    {
        await using var forward = await StartAsync("deployment/echo", ":7000");
        var (sent, received) = await EchoAsync(forward.Ports[0].LocalEndPoint, 64 << 20, seed: 1);
        Assert.That(received, Is.EqualTo(sent), "SHA-256 of the bytes sent and echoed back differ");
    }

    [Test]
    public async Task Many_Parallel_Transfers_Round_Trip_Intact()
    {
        await using var forward = await StartAsync("deployment/echo", ":echo");
        var endpoint = forward.Ports[0].LocalEndPoint;
        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => EchoAsync(endpoint, 4 << 20, seed: 100 + i)));
        Assert.Multiple(() =>
        {
            foreach (var (sent, received) in results)
            {
                Assert.That(received, Is.EqualTo(sent));
            }
        });
    }

    [Test]
    public async Task A_Download_Arrives_Complete_And_Ends_With_Eof()
    {
        await using var forward = await StartAsync("pod/" + await CurrentPodAsync(), ":7001");
        using var socket = await ConnectAsync(forward.Ports[0].LocalEndPoint);
        await socket.SendAsync("10485760\n"u8.ToArray());
        var total = 0L;
        var buffer = new byte[65536];
        using var cts = new CancellationTokenSource(Timeout);
        for (int n; (n = await socket.ReceiveAsync(buffer, cts.Token)) > 0;)
        {
            total += n;
        }

        Assert.That(total, Is.EqualTo(10 << 20));
    }

    [Test]
    public async Task A_Client_That_Half_Closes_Still_Gets_The_Whole_Answer()
    {
        await using var forward = await StartAsync("deployment/echo", ":8080", null, ":7000");
        using (var http = await ConnectAsync(forward.Ports[0].LocalEndPoint))
        {
            await http.SendAsync("GET / HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n"u8.ToArray());
            http.Shutdown(SocketShutdown.Send);
            var response = await ReadToEndAsync(http);
            Assert.That(response, Does.StartWith("HTTP/1.1 200").And.EndWith("pong"), "the response after our half-close, then EOF");
        }

        using var echo = await ConnectAsync(forward.Ports[1].LocalEndPoint);
        var payload = RandomNumberGenerator.GetBytes(1 << 20);
        await echo.SendAsync(payload);
        echo.Shutdown(SocketShutdown.Send);
        var back = new byte[payload.Length];
        using var cts = new CancellationTokenSource(Timeout);
        for (var total = 0; total < back.Length;)
        {
            var n = await echo.ReceiveAsync(back.AsMemory(total), cts.Token);
            Assert.That(n, Is.Positive, $"the echo ended after {total} bytes");
            total += n;
        }

        Assert.That(back, Is.EqualTo(payload));
    }

    [Test]
    public async Task A_Closed_Client_Connection_Is_Released_When_The_Pod_Stays_Silent()
    {
        var events = new EventLog();
        var request = new PortForwardRequest(PortForwardTarget.Parse("deployment/echo", _ns), [PortMapping.Parse(":7000")])
        {
            HalfClosedIdleTimeout = TimeSpan.FromSeconds(1),
            WarmConnections = 0,
        };
        await using var forward = await PortForwardSession.StartAsync(_client, SessionPodChannelOpener.ForCluster(_client), request, events, CancellationToken.None);
        using (var socket = await ConnectAsync(forward.Ports[0].LocalEndPoint))
        {
            await socket.SendAsync(new byte[] { 42 });
            using var cts = new CancellationTokenSource(Timeout);
            Assert.That(await socket.ReceiveAsync(new byte[1], cts.Token), Is.EqualTo(1));
        }

        // The echo server never closes by itself; the forward must let go of its pod connection.
        var closed = await events.WaitForAsync(e => e.Kind == ForwardEventKind.ConnectionClosed, Timeout, "the connection to be released");
        Assert.That(closed.BytesToPod, Is.EqualTo(1));
        await TestCluster.WaitUntilAsync(() => Task.FromResult(forward.ActiveConnections == 0), Timeout, "the forward has no active connection left");
    }

    [Test]
    public async Task A_Service_Port_Reaches_Its_Named_Target_Port()
    {
        await using var forward = await StartAsync("service/echo", ":80");
        var pod = await GetAsync(forward.Ports[0].LocalEndPoint, "/pod");
        Assert.That(pod, Is.EqualTo(await CurrentPodAsync()));
    }

    [Test]
    public async Task Deleting_The_Pod_Sends_New_Connections_To_The_Replacement()
    {
        var events = new EventLog();
        await using var forward = await StartAsync("deployment/echo", ":8080", events);
        var endpoint = forward.Ports[0].LocalEndPoint;
        var first = await GetAsync(endpoint, "/pod");

        await _client.CoreV1.DeleteNamespacedPodAsync(first, _ns);
        var switched = await events.WaitForAsync(e => e.Kind == ForwardEventKind.PodSwitched && e.PreviousPod == first, Timeout, "the forward to switch away from the deleted pod");

        var second = await GetAsync(endpoint, "/pod");
        Assert.Multiple(() =>
        {
            Assert.That(second, Is.Not.EqualTo(first));
            Assert.That(second, Is.EqualTo(switched.Pod));
            Assert.That(switched.Message, Does.Contain(first).And.Contain(second));
        });
    }

    [Test]
    public async Task A_Restarted_Container_Is_Reported_And_Served_Again()
    {
        var events = new EventLog();
        await using var forward = await StartAsync("deployment/echo", ":8080", events);
        var endpoint = forward.Ports[0].LocalEndPoint;
        var pod = await GetAsync(endpoint, "/pod");

        // The kubelet runs pods on this machine's engine: kill the container as a crash would.
        using (var docker = DevSpaces.Core.Images.DockerEngine.Connect())
        {
            var containers = await docker.Containers.ListContainersAsync(new Docker.DotNet.Models.ContainersListParameters
            {
                Filters = new Dictionary<string, IDictionary<string, bool>>
                {
                    ["label"] = new Dictionary<string, bool> { [$"io.kubernetes.pod.name={pod}"] = true, ["io.kubernetes.container.name=server"] = true },
                },
            });
            Assert.That(containers, Has.Count.EqualTo(1), $"the server container of pod {pod}");
            await docker.Containers.KillContainerAsync(containers[0].ID, new Docker.DotNet.Models.ContainerKillParameters { Signal = "KILL" });
        }

        var back = await events.WaitForAsync(e => e.Kind == ForwardEventKind.PodSelected && e.Pod == pod && e.Message.Contains("ready again"), Timeout, "the restarted pod to be reported ready again");
        Assert.Multiple(async () =>
        {
            Assert.That(events.Events.Any(e => e.Kind == ForwardEventKind.NoReadyPod && e.Time < back.Time), Is.True, "the outage should have been reported");
            Assert.That(await GetAsync(endpoint, "/pod"), Is.EqualTo(pod));
        });
    }

    [Test]
    public async Task A_Closed_Remote_Port_Closes_That_Connection_And_The_Forward_Stays_Up()
    {
        var events = new EventLog();
        await using var forward = await StartAsync("deployment/echo", ":7999", events, ":8080");
        using (var socket = await ConnectAsync(forward.Ports[0].LocalEndPoint))
        {
            using var cts = new CancellationTokenSource(Timeout);
            var read = await socket.ReceiveAsync(new byte[16], cts.Token);
            Assert.That(read, Is.Zero, "the local connection should see EOF");
        }

        var failed = await events.WaitForAsync(e => e.Kind == ForwardEventKind.ConnectionFailed && e.RemotePort == 7999, Timeout, "the closed port to be reported");
        Assert.That(failed.Message, Does.Contain("7999"));
        Assert.That(await GetAsync(forward.Ports[1].LocalEndPoint, "/"), Is.EqualTo("pong"), "the other port of the forward should still work");
        Assert.That(forward.Completion.IsCompleted, Is.False);
    }

    [Test]
    public async Task A_Local_Port_In_Use_Names_The_Process_That_Holds_It()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;
        var error = Assert.ThrowsAsync<DevSpacesException>(() => StartAsync("deployment/echo", $"{port}:8080"));
        Assert.Multiple(() =>
        {
            Assert.That(error!.ErrorCode, Is.EqualTo(RpcErrorCode.LocalPortInUse));
            Assert.That(error.Message, Does.Contain($"port {port}").And.Contain($"process {Environment.ProcessId}"));
        });
    }

    [Test]
    public void An_Unknown_Target_Says_What_Was_Not_Found()
    {
        var error = Assert.ThrowsAsync<DevSpacesException>(() => StartAsync("deployment/nope", ":80"));
        Assert.Multiple(() =>
        {
            Assert.That(error!.ErrorCode, Is.EqualTo(RpcErrorCode.ForwardTargetNotFound));
            Assert.That(error.Message, Does.Contain("deployment/nope").And.Contain(_ns));
        });
    }

    [Test]
    public void An_Unknown_Service_Port_Lists_The_Ports_There_Are()
    {
        var error = Assert.ThrowsAsync<DevSpacesException>(() => StartAsync("service/echo", ":9999"));
        Assert.That(error!.Hint, Does.Contain("80 (web)"), "the ports there are");
    }

    [Test]
    public async Task No_Ready_Pod_Says_Why()
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "broken", Labels = new Dictionary<string, string> { ["app"] = "broken" } },
            Spec = new V1PodSpec
            {
                Containers = [new V1Container { Name = "main", Image = "devspaces.local/does-not-exist:1", ImagePullPolicy = "Never" }],
            },
        };
        await _client.CoreV1.CreateNamespacedPodAsync(pod, _ns);
        try
        {
            await TestCluster.WaitUntilAsync(
                async () => (await _client.CoreV1.ReadNamespacedPodAsync("broken", _ns)).Status?.ContainerStatuses?.Any(c => c.State?.Waiting?.Reason is not null and not "ContainerCreating") == true,
                Timeout, "the broken pod reports why it waits");
            var request = new PortForwardRequest(PortForwardTarget.Parse("pod/broken", _ns), [PortMapping.Parse(":80")]) { ReadyPodTimeout = TimeSpan.FromSeconds(1) };
            var error = Assert.ThrowsAsync<DevSpacesException>(() => PortForwardSession.StartAsync(_client, SessionPodChannelOpener.ForCluster(_client), request, null, CancellationToken.None));
            Assert.Multiple(() =>
            {
                Assert.That(error!.ErrorCode, Is.EqualTo(RpcErrorCode.NoReadyPod));
                Assert.That(error.Message, Does.Contain("pod broken: ErrImageNeverPull"));
            });
        }
        finally
        {
            await _client.CoreV1.DeleteNamespacedPodAsync("broken", _ns, gracePeriodSeconds: 0);
        }
    }

    [Test]
    public async Task Stopping_A_Forward_Closes_Its_Connections_And_Frees_The_Port()
    {
        var forward = await StartAsync("deployment/echo", ":7000");
        var endpoint = forward.Ports[0].LocalEndPoint;
        using var socket = await ConnectAsync(endpoint);
        await socket.SendAsync(new byte[] { 1, 2, 3 });
        var echoed = new byte[3];
        using var cts = new CancellationTokenSource(Timeout);
        await socket.ReceiveAsync(echoed, cts.Token);

        await forward.DisposeAsync().AsTask().WaitAsync(Timeout);

        Assert.Multiple(async () =>
        {
            Assert.That(await socket.ReceiveAsync(new byte[1], cts.Token), Is.Zero, "the open connection should be closed");
            Assert.That(forward.Completion.IsCompletedSuccessfully, Is.True);
            using var rebind = new TcpListener(endpoint);
            Assert.DoesNotThrow(() => rebind.Start(), "the local port should be free again");
        });
    }

    private async Task<PortForwardSession> StartAsync(string target, string port, EventLog? events = null, params string[] more)
    {
        var request = new PortForwardRequest(PortForwardTarget.Parse(target, _ns), [PortMapping.Parse(port), .. more.Select(PortMapping.Parse)]);
        return await PortForwardSession.StartAsync(_client, SessionPodChannelOpener.ForCluster(_client), request, events ?? new EventLog(), CancellationToken.None);
    }

    private async Task<string> CurrentPodAsync() =>
        (await _client.CoreV1.ListNamespacedPodAsync(_ns, labelSelector: "app=echo")).Items.First(PodReadiness.IsReady).Metadata.Name;

    private static async Task<Socket> ConnectAsync(IPEndPoint endpoint)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endpoint);
        return socket;
    }

    private static async Task<string> ReadToEndAsync(Socket socket)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var buffer = new byte[4096];
        var text = new System.Text.StringBuilder();
        for (int n; (n = await socket.ReceiveAsync(buffer, cts.Token)) > 0;)
        {
            text.Append(System.Text.Encoding.ASCII.GetString(buffer, 0, n));
        }

        return text.ToString();
    }

    private static Task<string> GetAsync(IPEndPoint endpoint, string path) => TestServerDeployment.GetAsync(endpoint, path, Timeout);

    /// <summary>Sends <paramref name="size"/> random bytes and reads the echo concurrently; returns both hashes.</summary>
    private static async Task<(string Sent, string Received)> EchoAsync(IPEndPoint endpoint, int size, int seed)
    {
        using var socket = await ConnectAsync(endpoint);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var random = new Random(seed);
        var send = Task.Run(async () =>
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var chunk = new byte[64 * 1024];
            for (var left = size; left > 0;)
            {
                var n = Math.Min(left, chunk.Length);
                random.NextBytes(chunk.AsSpan(0, n));
                hash.AppendData(chunk, 0, n);
                for (var off = 0; off < n;)
                {
                    off += await socket.SendAsync(chunk.AsMemory(off, n - off), SocketFlags.None, cts.Token);
                }

                left -= n;
            }

            return Convert.ToHexString(hash.GetHashAndReset());
        });
        using var received = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[64 * 1024];
        for (var total = 0; total < size;)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(0, Math.Min(buffer.Length, size - total)), SocketFlags.None, cts.Token);
            if (n == 0)
            {
                Assert.Fail($"The echo ended after {total} of {size} bytes.");
            }

            received.AppendData(buffer, 0, n);
            total += n;
        }

        return (await send, Convert.ToHexString(received.GetHashAndReset()));
    }
}
