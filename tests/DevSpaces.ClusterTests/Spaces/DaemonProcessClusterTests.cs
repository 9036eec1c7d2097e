using DevSpaces.Contracts;
using DevSpaces.Tests.Support;

namespace DevSpaces.ClusterTests.Spaces;

/// <summary>The built executable started as the extension starts it, against the real cluster.</summary>
public class DaemonProcessClusterTests : SpaceTestBase
{
    [Test]
    public async Task The_Real_Daemon_Connects_Creates_A_Child_Space_And_Announces_It()
    {
        await using var daemon = DaemonProcess.Connect(
            "--stdio", "--client-pid", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--log-dir", Path.Combine(Folder.Path, "logs"), "--kubeconfig", Kubeconfig.Path);
        var initialized = await daemon.InitializeAsync(Folder.Path);
        await daemon.Notifications.WaitForAsync(n => n.Method == RpcNotifications.ConnectionStatus && n.Text("state") == "connected", WaitTimeout, "connection/status connected");
        var (root, child) = (Unique("proc"), Unique("prockid"));
        await daemon.CallAsync<CreateSpaceResult>("space/create", new { name = root });
        var created = await daemon.CallAsync<CreateSpaceResult>("space/create", new { name = child, parent = root });
        var announced = await daemon.Notifications.WaitForAsync(
            n => n.Method == RpcNotifications.SpaceChanged && n.Text("name") == child, WaitTimeout, $"space/changed for {child}");
        await daemon.CallAsync<object>("shutdown");
        Assert.Multiple(async () =>
        {
            Assert.That(initialized.Capabilities, Does.Contain(Capabilities.Watch));
            Assert.That(created.Parent, Is.EqualTo(root));
            Assert.That(announced.Text("parent"), Is.EqualTo(root));
            Assert.That((await ReadNamespaceAsync(child))?.Metadata.Labels, Does.ContainKey("devspaces.io/parent").WithValue(root));
            Assert.That(await daemon.WaitForExitAsync("shutdown"), Is.EqualTo(0));
        });
    }
}
