using DevSpaces.Contracts;
using DevSpaces.Core.Spaces;
using k8s;
using k8s.Models;

namespace DevSpaces.ClusterTests.Spaces;

/// <summary>Changes made outside DevSpaces reach the client as notifications from watches.</summary>
public class SpaceWatchTests : SpaceTestBase
{
    [Test]
    public async Task A_Space_Created_And_Unlabelled_With_Kubectl_Reaches_The_Client()
    {
        await StartDaemonAsync();
        await WaitUntilConnectedAsync();
        var (root, child) = (Unique("ext"), Unique("extkid"));
        await CreateNamespaceOutsideAsync(root);
        await CreateNamespaceOutsideAsync(child, parent: root);
        var addedChild = await WaitForNotificationAsync(RpcNotifications.SpaceChanged, n => n.Text("name") == child && n.Text("kind") == "added", $"space/changed added {child}");
        await WaitForNotificationAsync(RpcNotifications.SpaceChanged, n => n.Text("name") == root && n.Text("kind") == "added", $"space/changed added {root}");

        // Removing the label makes it an ordinary namespace again: for the client the space is gone.
        var patch = new V1Patch($"{{\"metadata\":{{\"labels\":{{\"{SpaceLabels.Space}\":null}}}}}}", V1Patch.PatchType.MergePatch);
        await Admin.CoreV1.PatchNamespaceAsync(patch, child);
        await WaitForNotificationAsync(RpcNotifications.SpaceChanged, n => n.Text("name") == child && n.Text("kind") == "deleted", $"space/changed deleted {child} after unlabelling");
        Assert.That(addedChild.Text("parent"), Is.EqualTo(root));
    }

    [Test]
    public async Task A_Namespace_Without_The_Label_Is_Not_Announced()
    {
        await StartDaemonAsync();
        await WaitUntilConnectedAsync();
        var (plain, space) = (Unique("plain"), Unique("marker"));
        await CreateNamespaceOutsideAsync(plain, space: false);
        await CreateNamespaceOutsideAsync(space);

        // Events arrive in order: once the later space is seen, the plain namespace has been seen too.
        await WaitForNotificationAsync(RpcNotifications.SpaceChanged, n => n.Text("name") == space, $"space/changed for {space}");
        Assert.That(Daemon.Notifications.Snapshot().Where(n => n.Text("name") == plain), Is.Empty);
    }

    [Test]
    public async Task A_Service_Appearing_In_A_Space_Reaches_The_Client()
    {
        await StartDaemonAsync();
        await WaitUntilConnectedAsync();
        var name = Unique("svcwatch");
        await Daemon.CallAsync<CreateSpaceResult>("space/create", new { name });
        await WaitForNotificationAsync(RpcNotifications.SpaceChanged, n => n.Text("name") == name, $"space/changed for {name}");
        await Admin.CoreV1.CreateNamespacedServiceAsync(
            new V1Service { Metadata = new V1ObjectMeta { Name = "api" }, Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Port = 8080 }] } }, name);
        var added = await WaitForNotificationAsync(RpcNotifications.ServiceChanged, n => n.Text("space") == name && n.Text("name") == "api" && n.Text("kind") == "added", "service/changed added api");
        try
        {
            await Admin.CoreV1.DeleteNamespacedServiceAsync("api", name);
        }
        catch (System.Text.Json.JsonException)
        {
            // Kubernetes 1.20 answers a service delete with a Status that the client cannot read as a V1Service; the delete happened.
        }

        await WaitForNotificationAsync(RpcNotifications.ServiceChanged, n => n.Text("space") == name && n.Text("name") == "api" && n.Text("kind") == "deleted", "service/changed deleted api");
        Assert.That(added.Params.GetProperty("kind").GetString(), Is.EqualTo("added"));
    }

    [Test]
    public async Task The_Watch_Is_Resumed_After_The_Server_Ends_It()
    {
        await StartDaemonAsync(watchTimeout: TimeSpan.FromSeconds(1));
        await WaitUntilConnectedAsync();
        await Daemon.Log.Lines.WaitForAsync(l => l.Contains("watch namespaces: stream ended"), WaitTimeout, "the API server to end the 1 s namespace watch");
        var name = Unique("resumed");
        await CreateNamespaceOutsideAsync(name);
        var added = await WaitForNotificationAsync(RpcNotifications.SpaceChanged, n => n.Text("name") == name && n.Text("kind") == "added", $"space/changed added {name} after the watch was resumed");
        Assert.That(added.Text("phase"), Is.EqualTo("Active"));
    }

    [Test]
    public async Task Deleting_The_Selected_Space_With_Kubectl_Clears_The_Selection()
    {
        await StartDaemonAsync();
        await WaitUntilConnectedAsync();
        var name = Unique("gone");
        await Daemon.CallAsync<CreateSpaceResult>("space/create", new { name });
        await Daemon.CallAsync<Selection>("space/select", new { name });
        var mark = Daemon.Notifications.Count;
        await Admin.CoreV1.DeleteNamespaceAsync(name);
        var cleared = await WaitForNotificationAsync(RpcNotifications.SelectionChanged, n => n.Text("space") == null, "selection/changed after the namespace is deleted", mark);
        Assert.Multiple(() =>
        {
            Assert.That(cleared.Text("reason"), Does.Contain(name).And.Contain("deleted"));
            Assert.That(ReadStateFile().Space, Is.Null);
        });
    }
}
