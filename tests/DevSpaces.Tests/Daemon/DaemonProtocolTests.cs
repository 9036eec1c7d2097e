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
        // The cluster is unreachable, so calls fail fast with our own errors; what matters is that none is unknown.
        Start(Kubeconfigs.Unreachable(dir));
        await daemon.InitializeAsync(dir.Path);
        var schema = RpcSchema.Load();
        foreach (var (method, entry) in schema.Methods)
        {
            if (method is "shutdown")
            {
                continue;
            }

            var args = RpcSchema.RequiredArguments(entry!);
            try
            {
                await daemon.CallAsync<JsonElement>(method, args);
            }
            catch (StreamJsonRpc.RemoteInvocationException ex)
            {
                Assert.That(ex.ErrorCode, Is.Not.EqualTo((int)StreamJsonRpc.Protocol.JsonRpcErrorCode.MethodNotFound), $"{method} is in the schema but the daemon does not serve it: {ex.Message}");
            }
        }
    }

}
