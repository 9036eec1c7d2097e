using System.Diagnostics;
using DevSpaces.Cli;
using DevSpaces.Cli.Daemon;
using DevSpaces.Tests.Support;

namespace DevSpaces.Tests.Daemon;

/// <summary>The real executable, as the extension starts it.</summary>
public class DaemonProcessTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private TempDirectory dir = null!;

    [SetUp]
    public void CreateDirectory() => dir = new TempDirectory();

    [TearDown]
    public void RemoveDirectory() => dir.Dispose();

    private DaemonProcess Start(int clientPid) => DaemonProcess.Start(
        "--stdio", "--client-pid", clientPid.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--log-dir", Path.Combine(dir.Path, "logs"), "--kubeconfig", Path.Combine(dir.Path, "missing-kubeconfig"));

    [Test]
    public async Task Stdout_Carries_Only_Protocol_And_Logs_Go_To_Stderr_And_The_Log_Directory()
    {
        using var daemon = Start(Environment.ProcessId);
        await daemon.SendAsync(new { jsonrpc = "2.0", id = 1, method = "initialize", @params = new { clientName = "tests", workspaceFolder = dir.Path } });
        var initialized = await daemon.ReadResponseAsync(1, Timeout);
        await daemon.SendAsync(new { jsonrpc = "2.0", id = 2, method = "shutdown" });
        var shutdown = await daemon.ReadResponseAsync(2, Timeout);
        var exitCode = await daemon.WaitForExitAsync(Timeout, "shutdown");

        // Everything left on stdout must still be frames.
        using var drain = new CancellationTokenSource(Timeout);
        while (await daemon.ReadAsync(drain.Token) != null)
        {
        }

        var logFile = Directory.GetFiles(Path.Combine(dir.Path, "logs"), "daemon-*.log").SingleOrDefault();
        Assert.Multiple(() =>
        {
            Assert.That(initialized["result"]!["version"]!.GetValue<string>(), Is.EqualTo(Program.ProductVersion));
            Assert.That(shutdown.ContainsKey("result") && !shutdown.ContainsKey("error"), Is.True, shutdown.ToJsonString());
            Assert.That(exitCode, Is.EqualTo(0));
            Assert.That(daemon.Stderr, Does.Contain("listening").And.Contain("shutdown requested"));
            Assert.That(logFile, Is.Not.Null, "a log file in --log-dir");
            Assert.That(File.ReadAllText(logFile!), Does.Contain("initialize from tests"));
        });
    }

    [Test]
    public async Task The_Answer_To_Shutdown_Always_Reaches_The_Client_Before_Exit()
    {
        // The answer used to be lost now and then when the process exited right after sending it.
        for (var i = 0; i < 10; i++)
        {
            using var daemon = Start(Environment.ProcessId);
            await daemon.SendAsync(new { jsonrpc = "2.0", id = 1, method = "initialize", @params = new { workspaceFolder = dir.Path } });
            await daemon.ReadResponseAsync(1, Timeout);
            await daemon.SendAsync(new { jsonrpc = "2.0", id = 2, method = "shutdown" });
            var answer = await daemon.ReadResponseAsync(2, Timeout);
            Assert.That(answer.ContainsKey("error"), Is.False, $"run {i}: {answer.ToJsonString()}");
            Assert.That(await daemon.WaitForExitAsync(Timeout, "shutdown"), Is.EqualTo(0), $"run {i}");
        }
    }

    [Test]
    public async Task The_Daemon_Exits_When_Stdin_Closes()
    {
        using var daemon = Start(Environment.ProcessId);
        await daemon.SendAsync(new { jsonrpc = "2.0", id = 1, method = "initialize", @params = new { } });
        await daemon.ReadResponseAsync(1, Timeout);
        daemon.Process.StandardInput.Close();
        Assert.That(await daemon.WaitForExitAsync(Timeout, "stdin was closed"), Is.EqualTo(0));
        Assert.That(daemon.Stderr, Does.Contain("the client closed the connection"));
    }

    [Test]
    public async Task A_Body_That_Is_Not_Json_Is_Logged_As_A_Protocol_Error_And_The_Daemon_Keeps_Serving()
    {
        using var daemon = Start(Environment.ProcessId);
        await daemon.SendRawAsync("Content-Length: 9\r\n\r\n", System.Text.Encoding.ASCII.GetBytes("not json!"));
        await daemon.SendAsync(new { jsonrpc = "2.0", id = 1, method = "initialize", @params = new { } });
        var answer = await daemon.ReadResponseAsync(1, Timeout);
        await daemon.SendAsync(new { jsonrpc = "2.0", id = 2, method = "shutdown" });
        await daemon.ReadResponseAsync(2, Timeout);
        Assert.Multiple(async () =>
        {
            Assert.That(answer.ContainsKey("result"), Is.True, answer.ToJsonString());
            Assert.That(await daemon.WaitForExitAsync(Timeout, "shutdown"), Is.EqualTo(0));
            Assert.That(daemon.Stderr, Does.Contain("protocol error: a message body is not a JSON-RPC message").And.Contain("keeps serving"));
            Assert.That(daemon.Stderr, Does.Not.Contain("the client closed the connection"));
        });
    }

    [Test]
    public async Task A_Non_Numeric_Content_Length_Ends_The_Daemon_Naming_The_Protocol_Error()
    {
        using var daemon = Start(Environment.ProcessId);
        await daemon.SendRawAsync("Content-Length: twelve\r\n\r\n", System.Text.Encoding.ASCII.GetBytes("{}"));
        var exitCode = await daemon.WaitForExitAsync(Timeout, "a malformed header");
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(DaemonHost.ProtocolErrorExitCode));
            Assert.That(daemon.Stderr, Does.Contain("daemon exiting: protocol error: a malformed message header").And.Contain("Content-Length"));
            Assert.That(daemon.Stderr, Does.Not.Contain("the client closed the connection"));
            Assert.That(daemon.Stderr, Does.Not.Contain("   at "), "no stack trace");
        });
    }

    [Test]
    public async Task The_Daemon_Exits_When_Its_Client_Process_Dies()
    {
        using var client = Process.Start(new ProcessStartInfo("sleep", "600") { UseShellExecute = false })!;
        try
        {
            using var daemon = Start(client.Id);
            await daemon.SendAsync(new { jsonrpc = "2.0", id = 1, method = "initialize", @params = new { } });
            await daemon.ReadResponseAsync(1, Timeout);
            client.Kill();
            Assert.That(await daemon.WaitForExitAsync(Timeout, "its client process was killed"), Is.EqualTo(0));
            Assert.That(daemon.Stderr, Does.Contain($"client process {client.Id} exited"));
        }
        finally
        {
            if (!client.HasExited)
            {
                client.Kill();
            }
        }
    }

    [Test]
    public async Task SIGTERM_Stops_The_Daemon_In_Order()
    {
        using var daemon = Start(Environment.ProcessId);
        await daemon.SendAsync(new { jsonrpc = "2.0", id = 1, method = "initialize", @params = new { } });
        await daemon.ReadResponseAsync(1, Timeout);
        using (var kill = Process.Start("kill", ["-TERM", daemon.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        Assert.That(await daemon.WaitForExitAsync(Timeout, "SIGTERM"), Is.EqualTo(0));
        Assert.That(daemon.Stderr, Does.Contain("daemon exiting: asked to stop"));
    }

    [Test]
    public async Task The_Daemon_Refuses_To_Start_Without_Stdio()
    {
        using var daemon = DaemonProcess.Start("--client-pid", "1");
        Assert.That(await daemon.WaitForExitAsync(Timeout, "a bad command line"), Is.EqualTo(2));
        Assert.That(daemon.Stderr, Does.Contain("--stdio"));
    }
}
