using DevSpaces.Contracts;

namespace DevSpaces.ClusterTests.Spaces;

/// <summary>Kubeconfig contexts and reachability through the daemon, against the real cluster.</summary>
public class ContextRpcTests : SpaceTestBase
{
    [Test]
    public async Task Context_Status_Reports_The_Server_And_Its_Version()
    {
        await StartDaemonAsync();
        var status = await Daemon.CallAsync<ConnectionStatus>("context/status");
        var connected = await WaitUntilConnectedAsync();
        Assert.Multiple(() =>
        {
            Assert.That(status.State, Is.EqualTo(ConnectionState.Connected));
            Assert.That(status.Server, Is.EqualTo(Kubeconfig.Server));
            Assert.That(status.ServerVersion, Does.StartWith("v1."));
            Assert.That(status.Error, Is.Null);
            Assert.That(connected.Text("serverVersion"), Is.EqualTo(status.ServerVersion));
        });
    }

    [Test]
    public async Task Context_List_Shows_The_Kubeconfig_Contexts()
    {
        await StartDaemonAsync(Kubeconfig.WriteTwoContexts(Folder.Path));
        var list = await Daemon.CallAsync<ContextList>("context/list");
        Assert.Multiple(() =>
        {
            Assert.That(list.Contexts.Select(c => c.Name), Is.EqualTo(new[] { "first", "second" }));
            Assert.That(list.Current, Is.EqualTo("first"));
            Assert.That(list.Contexts.Single(c => c.IsCurrent).Name, Is.EqualTo("first"));
            Assert.That(list.Contexts, Has.All.Matches<ContextInfo>(c => c.Server == Kubeconfig.Server && c.User == "admin"));
        });
    }

    [Test]
    public async Task Using_Another_Context_Clears_The_Selection_And_Keeps_Watching()
    {
        var kubeconfig = Kubeconfig.WriteTwoContexts(Folder.Path);
        var before = await File.ReadAllTextAsync(kubeconfig);
        await StartDaemonAsync(kubeconfig);
        await WaitUntilConnectedAsync();
        var name = Unique("ctx");
        await Daemon.CallAsync<CreateSpaceResult>("space/create", new { name });
        await Daemon.CallAsync<Selection>("space/select", new { name });

        var mark = Daemon.Notifications.Count;
        var status = await Daemon.CallAsync<ConnectionStatus>("context/use", new { name = "second" });
        var selection = await WaitForNotificationAsync(RpcNotifications.SelectionChanged, n => n.Text("context") == "second", "selection/changed for the new context", mark);
        await WaitUntilConnectedAsync(mark);
        var later = Unique("afterswitch");
        await CreateNamespaceOutsideAsync(later);
        await WaitForNotificationAsync(RpcNotifications.SpaceChanged, n => n.Text("name") == later, "space/changed from the restarted watch", mark);
        var contexts = await Daemon.CallAsync<ContextList>("context/list");
        Assert.Multiple(() =>
        {
            Assert.That(status.State, Is.EqualTo(ConnectionState.Connected));
            Assert.That(status.Context, Is.EqualTo("second"));
            Assert.That(selection.Text("space"), Is.Null);
            Assert.That(ReadStateFile(), Is.EqualTo(new WorkspaceStateFile("second", null)));
            Assert.That(contexts.Current, Is.EqualTo("second"));
            Assert.That(File.ReadAllText(kubeconfig), Is.EqualTo(before), "the kubeconfig file is not changed");
        });
    }

    [Test]
    public async Task Using_An_Unknown_Context_Fails_And_Keeps_The_Current_One()
    {
        await StartDaemonAsync(Kubeconfig.WriteTwoContexts(Folder.Path));
        var error = await Daemon.ExpectErrorAsync("context/use", new { name = "prod" });
        var list = await Daemon.CallAsync<ContextList>("context/list");
        Assert.Multiple(() =>
        {
            Assert.That(error.Code, Is.EqualTo(RpcErrorCode.ContextNotFound));
            Assert.That(error.Hint, Does.Contain("first").And.Contain("second"));
            Assert.That(list.Current, Is.EqualTo("first"));
        });
    }
}
