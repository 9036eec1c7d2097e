using System.Text.Json;
using DevSpaces.Cli;
using DevSpaces.Contracts;
using DevSpaces.Tests.Contract;
using DevSpaces.Tests.Support;

namespace DevSpaces.Tests.Daemon;

/// <summary>Scenarios every transport must pass: the daemon in this process on in-memory streams, and the real executable on stdio.</summary>
public abstract class DaemonScenarios
{
    private TempDirectory dir = null!;
    private DaemonConnection daemon = null!;

    /// <summary>Starts a daemon reading <paramref name="kubeconfig"/>.</summary>
    protected abstract DaemonConnection StartDaemon(string kubeconfig);

    [SetUp]
    public void CreateDirectory() => dir = new TempDirectory();

    [TearDown]
    public async Task StopDaemon()
    {
        if (daemon != null)
        {
            await daemon.DisposeAsync();
            daemon = null!;
        }

        dir.Dispose();
    }

    [Test]
    public async Task Initialize_Returns_Version_Protocol_And_Capabilities()
    {
        daemon = StartDaemon(Path.Combine(dir.Path, "no-such-kubeconfig"));
        var result = await daemon.InitializeAsync(dir.Path);
        Assert.Multiple(() =>
        {
            Assert.That(result.Version, Is.EqualTo(Program.ProductVersion));
            Assert.That(result.ProtocolVersion, Is.EqualTo(RpcSchema.Load().Root["protocolVersion"]!.GetValue<int>()));
            Assert.That(result.Capabilities, Is.EquivalentTo(new[] { Capabilities.Contexts, Capabilities.Spaces, Capabilities.Services, Capabilities.Watch, Capabilities.PortForward, Capabilities.Images, Capabilities.Connect, Capabilities.Up }), "every capability, connect and up too");
            Assert.That(result.WorkspaceFolder, Is.EqualTo(dir.Path));
        });
    }

    [Test]
    public async Task Requests_Without_A_Kubeconfig_Fail_With_Code_Message_And_Hint()
    {
        daemon = StartDaemon(Path.Combine(dir.Path, "no-such-kubeconfig"));
        await daemon.InitializeAsync(dir.Path);
        var error = await daemon.ExpectErrorAsync("space/list");
        Assert.Multiple(() =>
        {
            Assert.That(error.Code, Is.EqualTo(RpcErrorCode.KubeconfigNotFound));
            Assert.That(error.Message, Does.Contain("No kubeconfig found"));
            Assert.That(error.Hint, Does.Contain("KUBECONFIG"));
        });
    }

    [Test]
    public async Task Invalid_Names_Are_Rejected_With_InvalidName()
    {
        daemon = StartDaemon(Kubeconfigs.Unreachable(dir));
        await daemon.InitializeAsync(dir.Path);
        var error = await daemon.ExpectErrorAsync("space/create", new { name = "Not_Valid", parent = (string?)null });
        Assert.Multiple(() =>
        {
            Assert.That(error.Code, Is.EqualTo(RpcErrorCode.InvalidName));
            Assert.That(error.Message, Does.Contain("'Not_Valid'"));
            Assert.That(error.Hint, Does.Contain("DNS-1123"));
        });
    }

    [Test]
    public async Task A_Selection_Written_By_Another_Process_Reaches_The_Client()
    {
        daemon = StartDaemon(Kubeconfigs.Unreachable(dir));
        await daemon.InitializeAsync(dir.Path);
        var mark = daemon.Notifications.Count;

        // What the CLI in a terminal does in the same folder.
        new DevSpaces.Core.Workspace.WorkspaceStateStore(dir.Path).Save(new DevSpaces.Core.Workspace.WorkspaceState(null, "alice"));
        var notified = await daemon.Notifications.WaitForAsync(
            n => n.Method == RpcNotifications.SelectionChanged && n.Text("space") == "alice", DaemonConnection.Timeout, "selection/changed after state.json changed", mark);
        Assert.Multiple(() =>
        {
            Assert.That(notified.Text("reason"), Does.Contain("another DevSpaces client"));
            Assert.That(File.ReadAllText(Path.Combine(dir.Path, ".devspaces", ".gitignore")), Is.EqualTo("*\n"), "the state folder keeps itself out of git");
        });
    }

    [Test]
    public async Task Shutdown_Is_Answered_And_Ends_The_Daemon()
    {
        daemon = StartDaemon(Path.Combine(dir.Path, "no-such-kubeconfig"));
        await daemon.InitializeAsync(dir.Path);
        await daemon.CallAsync<JsonElement>("shutdown");
        Assert.That(await daemon.WaitForExitAsync("shutdown"), Is.EqualTo(0));
        Assert.That(daemon.Log.Lines.Snapshot(), Has.Some.Contains("shutdown requested"));
    }

    [Test]
    public async Task Closing_The_Connection_Ends_The_Daemon()
    {
        daemon = StartDaemon(Path.Combine(dir.Path, "no-such-kubeconfig"));
        await daemon.InitializeAsync(dir.Path);
        daemon.Client.Dispose();
        Assert.That(await daemon.WaitForExitAsync("the client closed the stream"), Is.EqualTo(0), () => string.Join("\n", daemon.Log.Lines.Snapshot()));
    }
}
