using System.Text.Json;
using DevSpaces.Cli;
using DevSpaces.Cli.Daemon;
using DevSpaces.Contracts;
using DevSpaces.Tests.Contract;
using DevSpaces.Tests.Support;

namespace DevSpaces.Tests.Daemon;

/// <summary>The daemon over an in-memory duplex stream, with kubeconfigs that need no cluster.</summary>
public class DaemonProtocolTests
{
    private TempDirectory dir = null!;
    private DaemonConnection daemon = null!;

    [SetUp]
    public void CreateDirectory() => dir = new TempDirectory();

    [TearDown]
    public async Task StopDaemon()
    {
        if (daemon != null)
        {
            await daemon.DisposeAsync();
        }

        dir.Dispose();
    }

    private DaemonConnection Start(string? kubeconfig) =>
        daemon = DaemonConnection.Start(new DaemonOptions(null, null, kubeconfig ?? Path.Combine(dir.Path, "no-such-kubeconfig")));

    [Test]
    public async Task Initialize_Returns_Version_Protocol_And_Capabilities()
    {
        Start(null);
        var result = await daemon.InitializeAsync(dir.Path);
        Assert.Multiple(() =>
        {
            Assert.That(result.Version, Is.EqualTo(Program.ProductVersion));
            Assert.That(result.ProtocolVersion, Is.EqualTo(RpcSchema.Load().Root["protocolVersion"]!.GetValue<int>()));
            Assert.That(result.Capabilities, Is.SupersetOf(new[] { Capabilities.Contexts, Capabilities.Spaces, Capabilities.Services, Capabilities.Watch }));
            Assert.That(result.WorkspaceFolder, Is.EqualTo(dir.Path));
        });
    }

    [Test]
    public async Task Without_A_Kubeconfig_The_Daemon_Initializes_And_Reports_The_Failed_Connection()
    {
        Start(null);
        await daemon.InitializeAsync(dir.Path);
        var failed = await daemon.Notifications.WaitForAsync(
            n => n.Method == RpcNotifications.ConnectionStatus && n.Text("state") == "failed", DaemonConnection.Timeout, "connection/status failed");
        var error = failed.Params.GetProperty("error");
        Assert.Multiple(() =>
        {
            Assert.That(error.GetProperty("code").GetInt32(), Is.EqualTo(RpcErrorCode.KubeconfigNotFound));
            Assert.That(error.GetProperty("hint").GetString(), Does.Contain("KUBECONFIG"));
        });
    }

    [Test]
    public async Task Requests_Without_A_Kubeconfig_Fail_With_Code_Message_And_Hint()
    {
        Start(null);
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
    public async Task An_Unreachable_Api_Server_Is_Reported_By_Context_Status_And_Requests()
    {
        Start(Kubeconfigs.Unreachable(dir));
        await daemon.InitializeAsync(dir.Path);
        var status = await daemon.CallAsync<ConnectionStatus>("context/status");
        var error = await daemon.ExpectErrorAsync("space/create", new { name = "dev" });
        Assert.Multiple(() =>
        {
            Assert.That(status.State, Is.EqualTo(ConnectionState.Failed));
            Assert.That(status.Error?.Code, Is.EqualTo(RpcErrorCode.ClusterUnreachable));
            Assert.That(status.Context, Is.EqualTo("nowhere"));
            Assert.That(error.Code, Is.EqualTo(RpcErrorCode.ClusterUnreachable));
            Assert.That(error.Message, Does.Contain("namespaces 'dev'").And.Contain("127.0.0.1"));
        });
    }

    [Test]
    public async Task Invalid_Names_Are_Rejected_With_InvalidName()
    {
        Start(Kubeconfigs.Unreachable(dir));
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
    public async Task Context_List_And_Current_Selection_Read_The_Workspace_State()
    {
        Directory.CreateDirectory(Path.Combine(dir.Path, ".devspaces"));
        File.WriteAllText(Path.Combine(dir.Path, ".devspaces", "state.json"), """{"context":"other","space":"alice"}""");
        Start(Kubeconfigs.Unreachable(dir));
        await daemon.InitializeAsync(dir.Path);
        var contexts = await daemon.CallAsync<ContextList>("context/list");
        var current = await daemon.CallAsync<Selection>("space/current");
        Assert.Multiple(() =>
        {
            Assert.That(contexts.Current, Is.EqualTo("other"));
            Assert.That(contexts.Contexts.Single(c => c.IsCurrent).Name, Is.EqualTo("other"));
            Assert.That(contexts.Contexts.Single(c => c.Name == "other").Namespace, Is.EqualTo("team"));
            Assert.That(current, Is.EqualTo(new Selection("other", "alice", dir.Path, null)));
        });
    }

    [Test]
    public async Task Clearing_The_Selection_Notifies_The_Client()
    {
        Start(Kubeconfigs.Unreachable(dir));
        await daemon.InitializeAsync(dir.Path);
        var selection = await daemon.CallAsync<Selection>("space/select", new { name = (string?)null });
        var notified = await daemon.Notifications.WaitForAsync(n => n.Method == RpcNotifications.SelectionChanged, DaemonConnection.Timeout, "selection/changed");
        Assert.Multiple(() =>
        {
            Assert.That(selection.Space, Is.Null);
            Assert.That(notified.Params.GetProperty("space").ValueKind, Is.EqualTo(JsonValueKind.Null));
        });
    }

    [Test]
    public async Task Every_Method_Of_The_Schema_Is_Served()
    {
        Start(Kubeconfigs.Unreachable(dir));
        await daemon.InitializeAsync(dir.Path);
        var schema = RpcSchema.Load();
        foreach (var (method, entry) in schema.Methods)
        {
            if (method is "shutdown")
            {
                continue;
            }

            var args = new Dictionary<string, object?>();
            foreach (var required in entry!["params"]!["required"]!.AsArray())
            {
                var name = required!.GetValue<string>();
                var type = RpcSchema.ShapeOf(entry["params"]!["properties"]![name]!);
                args[name] = type.StartsWith("boolean", StringComparison.Ordinal) ? false : type.StartsWith("array", StringComparison.Ordinal) ? new[] { "dev" } : "dev";
            }

            try
            {
                await daemon.CallAsync<JsonElement>(method, args);
            }
            catch (StreamJsonRpc.RemoteInvocationException ex)
            {
                Assert.That(ex.ErrorCode, Is.InRange(1000, 1999), $"{method} answered {ex.ErrorCode} {ex.Message}: not served as declared");
            }
        }
    }

    [Test]
    public async Task Shutdown_Is_Answered_And_Ends_The_Daemon()
    {
        Start(null);
        await daemon.InitializeAsync(dir.Path);
        await daemon.CallAsync<JsonElement>("shutdown");
        Assert.That(await daemon.WaitForExitAsync("shutdown"), Is.EqualTo(0));
        Assert.That(daemon.Log.Lines.Snapshot(), Has.Some.Contains("shutdown requested"));
    }

    [Test]
    public async Task Closing_The_Connection_Ends_The_Daemon()
    {
        Start(null);
        await daemon.InitializeAsync(dir.Path);
        daemon.Client.Dispose();
        Assert.That(await daemon.WaitForExitAsync("the client closed the stream"), Is.EqualTo(0));
    }
}
