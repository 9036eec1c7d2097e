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

    [Test]
    public async Task The_Idle_Daemon_Follows_The_Cluster_And_Lists_Spaces_Without_Loading_KubernetesClient()
    {
        // The idle daemon's reads and watches use the daemon's own small client; KubernetesClient (12 MB, megabytes of
        // memory once loaded) is for the verbs that change the cluster.
        await using var daemon = DaemonProcess.Connect(
            "--stdio", "--client-pid", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--log-dir", Path.Combine(Folder.Path, "logs"), "--kubeconfig", Kubeconfig.Path);
        await daemon.InitializeAsync(Folder.Path);
        await daemon.Notifications.WaitForAsync(n => n.Method == RpcNotifications.ConnectionStatus && n.Text("state") == "connected", WaitTimeout, "connection/status connected");
        var root = Unique("idle");
        await CreateNamespaceOutsideAsync(root);
        await daemon.Notifications.WaitForAsync(n => n.Method == RpcNotifications.SpaceChanged && n.Text("name") == root, WaitTimeout, $"space/changed for {root}");
        var list = await daemon.CallAsync<SpaceTree>("space/list");
        var mapped = File.ReadAllText($"/proc/{daemon.ProcessId}/maps");
        await daemon.CallAsync<object>("shutdown");

        Assert.Multiple(() =>
        {
            Assert.That(list.Roots.Select(r => r.Name), Does.Contain(root));
            Assert.That(mapped, Does.Not.Contain("KubernetesClient.dll"), "KubernetesClient is loaded by the idle daemon");
        });
    }
}
