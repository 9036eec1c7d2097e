using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using DevSpaces.Cli.Daemon;
using DevSpaces.Contracts;
using DevSpaces.Tests.Support;
using k8s;

namespace DevSpaces.ClusterTests.PortForwarding;

/// <summary>Port forwarding through the daemon's RPC surface and through the <c>devspaces port-forward</c> executable.</summary>
public class PortForwardRpcTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private Kubernetes _client = null!;
    private string _ns = "";
    private TempDirectory _folder = null!;

    [OneTimeSetUp]
    public async Task DeployTestServer()
    {
        _client = TestCluster.Connect();
        _ns = await TestServerDeployment.DeployInNewNamespaceAsync(_client, "ds-pfrpc");
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

    [SetUp]
    public void CreateFolder() => _folder = new TempDirectory();

    [TearDown]
    public void DeleteFolder() => _folder.Dispose();

    [Test]
    public async Task A_Forward_Started_Over_Rpc_Serves_Reports_Lists_And_Stops()
    {
        await using var daemon = DaemonConnection.Start(new DaemonOptions(null, null, TestCluster.KubeconfigPath));
        await daemon.InitializeAsync(_folder.Path);

        var started = await daemon.CallAsync<PortForwardInfo>("portForward/start", new { target = "deployment/echo", ports = new[] { ":8080" }, space = _ns });
        var port = started.Ports.Single();
        var listening = await daemon.Notifications.WaitForAsync(
            n => n.Method == RpcNotifications.PortForwardEvent && n.Text("kind") == "listening" && n.Text("forwardId") == started.Id,
            Timeout, "a listening event for the new forward");
        var pod = await GetAsync(port.LocalPort, "/pod");
        var listed = await daemon.CallAsync<PortForwardList>("portForward/list");
        var stopped = await daemon.CallAsync<PortForwardInfo>("portForward/stop", new { id = started.Id });
        var afterStop = await daemon.CallAsync<PortForwardList>("portForward/list");

        Assert.Multiple(() =>
        {
            Assert.That(started.Namespace, Is.EqualTo(_ns));
            Assert.That(port.Address, Is.EqualTo("127.0.0.1"), "forwards bind loopback by default");
            Assert.That(started.Pod, Is.EqualTo(pod));
            Assert.That(listening.Text("message"), Does.Contain($"127.0.0.1:{port.LocalPort}"));
            Assert.That(listed.Forwards.Select(f => f.Id), Is.EqualTo(new[] { started.Id }));
            Assert.That(stopped.Id, Is.EqualTo(started.Id));
            Assert.That(afterStop.Forwards, Is.Empty);
            Assert.ThrowsAsync<SocketException>(() => new TcpClient().ConnectAsync(IPAddress.Loopback, port.LocalPort), "the port should be closed after stop");
        });
    }

    [Test]
    public async Task A_Port_In_Use_Is_An_Rpc_Error_Naming_The_Process()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var taken = ((IPEndPoint)holder.LocalEndpoint).Port;
        await using var daemon = DaemonConnection.Start(new DaemonOptions(null, null, TestCluster.KubeconfigPath));
        await daemon.InitializeAsync(_folder.Path);

        var error = await daemon.ExpectErrorAsync("portForward/start", new { target = "deployment/echo", ports = new[] { $"{taken}:8080" }, space = _ns });
        Assert.Multiple(() =>
        {
            Assert.That(error.Code, Is.EqualTo(RpcErrorCode.LocalPortInUse));
            Assert.That(error.Message, Does.Contain($"{taken}").And.Contain($"process {Environment.ProcessId}"));
            Assert.That(error.Hint, Is.Not.Null.And.Contains("another local port"));
        });
    }

    [Test]
    public async Task Stopping_An_Unknown_Forward_Says_Which_Are_Running()
    {
        await using var daemon = DaemonConnection.Start(new DaemonOptions(null, null, TestCluster.KubeconfigPath));
        await daemon.InitializeAsync(_folder.Path);
        var error = await daemon.ExpectErrorAsync("portForward/stop", new { id = "pf-99" });
        Assert.That(error.Code, Is.EqualTo(RpcErrorCode.PortForwardNotFound));
    }

    [Test]
    public async Task The_Cli_Forwards_Until_Interrupted_And_Prints_Json_Events()
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "devspaces.dll");
        var start = Support.InterruptibleProcess.StartInfo("dotnet",
            [cli, "port-forward", "deployment/echo", ":8080", "--space", _ns, "--kubeconfig", TestCluster.KubeconfigPath, "--workspace", _folder.Path, "--output", "json"]);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var events = new Signal<string>(); // one JSON event per line
        var stderr = new Signal<string>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line)
            {
                events.Add(line);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                stderr.Add(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var listening = await events.WaitForAsync(e => Kind(e) == "listening", Timeout, "the CLI to print a listening event");
            var localPort = JsonDocument.Parse(listening).RootElement.GetProperty("localPort").GetInt32();
            Assert.That(await GetAsync(localPort, "/"), Is.EqualTo("pong"));

            using (var kill = Process.Start("kill", ["-INT", process.Id.ToString()]))
            {
                await kill.WaitForExitAsync();
            }

            using var exit = new CancellationTokenSource(Timeout);
            await process.WaitForExitAsync(exit.Token);
            Assert.Multiple(() =>
            {
                Assert.That(process.ExitCode, Is.Zero, $"stderr: {string.Join("\n", stderr.Snapshot())}");
                Assert.That(events.Snapshot().Select(Kind), Does.Contain("stopped"));
                Assert.That(events.Snapshot().Select(Kind), Does.Contain("connectionOpened"));
            });
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    private static string? Kind(string eventLine) => JsonDocument.Parse(eventLine).RootElement.GetProperty("kind").GetString();

    private static async Task<string> GetAsync(int port, string path)
    {
        using var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero };
        using var http = new HttpClient(handler) { Timeout = Timeout };
        return await http.GetStringAsync($"http://127.0.0.1:{port}{path}");
    }
}
