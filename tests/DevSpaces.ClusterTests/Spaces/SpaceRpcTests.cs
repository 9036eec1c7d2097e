using DevSpaces.Cli.Commands;
using DevSpaces.Contracts;
using DevSpaces.Core.Spaces;
using k8s;
using k8s.Models;

namespace DevSpaces.ClusterTests.Spaces;

/// <summary>Every space and service method through the daemon's RPC surface, against the real cluster.</summary>
public class SpaceRpcTests : SpaceTestBase
{
    [SetUp]
    public Task Start() => StartDaemonAsync();

    private static IEnumerable<SpaceInfo> Flatten(IEnumerable<SpaceInfo> nodes) => nodes.SelectMany(n => Flatten(n.Children).Prepend(n));

    [Test]
    public async Task Creating_A_Root_Space_Creates_A_Labelled_Namespace()
    {
        var name = Unique("root");
        var result = await Daemon.CallAsync<CreateSpaceResult>("space/create", new { name });
        var ns = await ReadNamespaceAsync(name);
        Assert.Multiple(() =>
        {
            Assert.That(result, Is.EqualTo(new CreateSpaceResult(name, null, true)));
            Assert.That(ns?.Metadata.Labels, Does.ContainKey(SpaceLabels.Space).WithValue("true"));
            Assert.That(ns?.Metadata.Labels, Does.Not.ContainKey(SpaceLabels.Parent));
        });
    }

    [Test]
    public async Task An_Existing_Namespace_Becomes_A_Root_Space_By_Getting_The_Label()
    {
        var name = Unique("existing");
        await CreateNamespaceOutsideAsync(name, space: false);
        var result = await Daemon.CallAsync<CreateSpaceResult>("space/create", new { name });
        var ns = await ReadNamespaceAsync(name);
        Assert.Multiple(() =>
        {
            Assert.That(result.NamespaceCreated, Is.False);
            Assert.That(ns?.Metadata.Labels, Does.ContainKey(SpaceLabels.Space).WithValue("true"));
        });
    }

    [Test]
    public async Task Children_Of_Any_Space_Get_The_Parent_Label_At_Any_Depth()
    {
        var (root, child, grandchild) = (Unique("root"), Unique("child"), Unique("grand"));
        await Daemon.CallAsync<CreateSpaceResult>("space/create", new { name = root });
        var created = await Daemon.CallAsync<CreateSpaceResult>("space/create", new { name = child, parent = root });
        await Daemon.CallAsync<CreateSpaceResult>("space/create", new { name = grandchild, parent = child });
        var tree = await Daemon.CallAsync<SpaceTree>("space/list");
        var rootNode = tree.Roots.Single(r => r.Name == root);
        Assert.Multiple(async () =>
        {
            Assert.That(created, Is.EqualTo(new CreateSpaceResult(child, root, true)));
            Assert.That((await ReadNamespaceAsync(child))?.Metadata.Labels, Does.ContainKey(SpaceLabels.Parent).WithValue(root));
            Assert.That((await ReadNamespaceAsync(grandchild))?.Metadata.Labels, Does.ContainKey(SpaceLabels.Parent).WithValue(child));
            Assert.That(rootNode.Children.Single().Name, Is.EqualTo(child));
            Assert.That(rootNode.Children.Single().Children.Single().Name, Is.EqualTo(grandchild));
            Assert.That(Flatten(tree.Roots).Where(s => s.Name == child || s.Name == grandchild), Has.All.Matches<SpaceInfo>(s => s.Parent != null));
            Assert.That(tree.Context, Is.Not.Null);
        });
    }

    [Test]
    public async Task Duplicate_Names_Are_Refused_And_Nothing_Changes()
    {
        var (root, plain) = (Unique("dup"), Unique("plain"));
        await Daemon.CallAsync<CreateSpaceResult>("space/create", new { name = root });
        await CreateNamespaceOutsideAsync(plain, space: false);
        var again = await Daemon.ExpectErrorAsync("space/create", new { name = root });
        var childOverPlain = await Daemon.ExpectErrorAsync("space/create", new { name = plain, parent = root });
        Assert.Multiple(async () =>
        {
            Assert.That(again.Code, Is.EqualTo(RpcErrorCode.SpaceAlreadyExists));
            Assert.That(again.Message, Does.Contain($"Space '{root}' already exists"));
            Assert.That(childOverPlain.Code, Is.EqualTo(RpcErrorCode.SpaceAlreadyExists));
            Assert.That(childOverPlain.Message, Does.Contain("is not a space"));
            Assert.That((await ReadNamespaceAsync(plain))?.Metadata.Labels ?? new Dictionary<string, string>(), Does.Not.ContainKey(SpaceLabels.Space));
        });
    }

    [Test]
    public async Task A_Child_Needs_A_Parent_That_Exists_And_Is_A_Space()
    {
        var (missing, plain, child) = (Unique("missing"), Unique("plain"), Unique("child"));
        await CreateNamespaceOutsideAsync(plain, space: false);
        var noParent = await Daemon.ExpectErrorAsync("space/create", new { name = child, parent = missing });
        var plainParent = await Daemon.ExpectErrorAsync("space/create", new { name = child, parent = plain });
        Assert.Multiple(async () =>
        {
            Assert.That(noParent.Code, Is.EqualTo(RpcErrorCode.SpaceNotFound));
            Assert.That(noParent.Message, Does.Contain(missing));
            Assert.That(plainParent.Code, Is.EqualTo(RpcErrorCode.NotASpace));
            Assert.That(plainParent.Hint, Does.Contain($"devspaces space create {plain}"));
            Assert.That(await ReadNamespaceAsync(child), Is.Null);
        });
    }

    [Test]
    public async Task Selecting_A_Space_Is_Remembered_In_The_Workspace_Folder()
    {
        var name = Unique("sel");
        await Daemon.CallAsync<CreateSpaceResult>("space/create", new { name });
        var selection = await Daemon.CallAsync<Selection>("space/select", new { name });
        var notified = await WaitForNotificationAsync(RpcNotifications.SelectionChanged, n => n.Text("space") == name, "selection/changed");
        var tree = await Daemon.CallAsync<SpaceTree>("space/list");
        Assert.Multiple(() =>
        {
            Assert.That(selection.Space, Is.EqualTo(name));
            Assert.That(selection.WorkspaceFolder, Is.EqualTo(Folder.Path));
            Assert.That(ReadStateFile().Space, Is.EqualTo(name));
            Assert.That(notified.Text("workspaceFolder"), Is.EqualTo(Folder.Path));
            Assert.That(tree.Selected, Is.EqualTo(name));
            Assert.That(Flatten(tree.Roots).Single(s => s.Name == name).IsSelected, Is.True);
        });
    }

    [Test]
    public async Task Selecting_A_Missing_Space_Fails_And_Keeps_The_Selection()
    {
        var (name, missing) = (Unique("keep"), Unique("missing"));
        await Daemon.CallAsync<CreateSpaceResult>("space/create", new { name });
        await Daemon.CallAsync<Selection>("space/select", new { name });
        var error = await Daemon.ExpectErrorAsync("space/select", new { name = missing });
        var current = await Daemon.CallAsync<Selection>("space/current");
        Assert.Multiple(() =>
        {
            Assert.That(error.Code, Is.EqualTo(RpcErrorCode.SpaceNotFound));
            Assert.That(current.Space, Is.EqualTo(name));
        });
    }

    [Test]
    public async Task The_CLI_Sees_The_Selection_Made_Through_The_Daemon_And_The_Other_Way_Round()
    {
        var (first, second) = (Unique("one"), Unique("two"));
        await Daemon.CallAsync<CreateSpaceResult>("space/create", new { name = first });
        await Daemon.CallAsync<CreateSpaceResult>("space/create", new { name = second });
        await Daemon.CallAsync<Selection>("space/select", new { name = first });

        var stdout = new StringWriter();
        var cli = new CliApp(stdout, new StringWriter(), Folder.Path, Kubeconfig.Path, Folder.Path);
        var shown = await cli.RunAsync(["space", "current"], CancellationToken.None);
        var mark = Daemon.Notifications.Count;
        var selected = await cli.RunAsync(["space", "select", second], CancellationToken.None);
        var current = await Daemon.CallAsync<Selection>("space/current");
        await WaitForNotificationAsync(RpcNotifications.SelectionChanged, n => n.Text("space") == second, "selection/changed after the CLI selected a space", mark);
        Assert.Multiple(() =>
        {
            Assert.That((shown, selected), Is.EqualTo((0, 0)));
            Assert.That(stdout.ToString(), Does.Contain($"Space:   {first}"));
            Assert.That(current.Space, Is.EqualTo(second));
        });
    }

    [Test]
    public async Task Deleting_A_Space_With_Children_Is_Refused_Unless_The_Subtree_Is_Asked_For()
    {
        var (root, child, grandchild) = (Unique("del"), Unique("kid"), Unique("grand"));
        await Daemon.CallAsync<CreateSpaceResult>("space/create", new { name = root });
        await Daemon.CallAsync<CreateSpaceResult>("space/create", new { name = child, parent = root });
        await Daemon.CallAsync<CreateSpaceResult>("space/create", new { name = grandchild, parent = child });

        var refused = await Daemon.ExpectErrorAsync("space/delete", new { name = root });
        var stillThere = (await ReadNamespaceAsync(root), await ReadNamespaceAsync(child));
        var deleted = await Daemon.CallAsync<DeleteSpaceResult>("space/delete", new { name = root, recursive = true });
        Assert.Multiple(async () =>
        {
            Assert.That(refused.Code, Is.EqualTo(RpcErrorCode.SpaceHasChildren));
            Assert.That(refused.Message, Does.Contain(child).And.Contain(grandchild));
            Assert.That(refused.Hint, Does.Contain("--recursive"));
            Assert.That(stillThere.Item1?.Metadata.DeletionTimestamp, Is.Null);
            Assert.That(stillThere.Item2?.Metadata.DeletionTimestamp, Is.Null);
            Assert.That(deleted.Deleted, Is.EqualTo(new[] { grandchild, child, root }));
            foreach (var name in deleted.Deleted)
            {
                var ns = await ReadNamespaceAsync(name);
                Assert.That(ns == null || ns.Metadata.DeletionTimestamp != null, Is.True, $"{name} is gone or terminating");
            }
        });
    }

    [Test]
    public async Task Deleting_The_Selected_Space_Clears_The_Selection_With_A_Message()
    {
        var name = Unique("selected");
        await Daemon.CallAsync<CreateSpaceResult>("space/create", new { name });
        await Daemon.CallAsync<Selection>("space/select", new { name });
        var mark = Daemon.Notifications.Count;
        var result = await Daemon.CallAsync<DeleteSpaceResult>("space/delete", new { name });
        var notified = await WaitForNotificationAsync(RpcNotifications.SelectionChanged, n => n.Text("space") == null, "selection/changed clearing the space", mark);
        var current = await Daemon.CallAsync<Selection>("space/current");
        var list = await Daemon.CallAsync<SpaceTree>("space/list");
        Assert.Multiple(() =>
        {
            Assert.That(result.SelectionCleared, Is.True);
            Assert.That(result.Message, Does.Contain("no space is selected"));
            Assert.That(notified.Text("reason"), Does.Contain(name));
            Assert.That(current.Space, Is.Null);
            Assert.That(ReadStateFile().Space, Is.Null);
            Assert.That(list.Selected, Is.Null, "the daemon is still usable and nothing is selected");
        });
    }

    [Test]
    public async Task A_Namespace_That_Is_Not_A_Space_Is_Never_Deleted()
    {
        var plain = Unique("plain");
        await CreateNamespaceOutsideAsync(plain, space: false);
        var error = await Daemon.ExpectErrorAsync("space/delete", new { name = plain, recursive = true });
        Assert.Multiple(async () =>
        {
            Assert.That(error.Code, Is.EqualTo(RpcErrorCode.NotASpace));
            Assert.That((await ReadNamespaceAsync(plain))?.Metadata.DeletionTimestamp, Is.Null);
        });
    }

    [Test]
    public async Task Services_Of_A_Space_Are_Listed_With_Their_Ports_And_Named_Target_Ports_Resolved_From_The_Pods()
    {
        var name = Unique("svc");
        await Daemon.CallAsync<CreateSpaceResult>("space/create", new { name });
        await Admin.CoreV1.CreateNamespacedServiceAsync(
            new V1Service
            {
                Metadata = new V1ObjectMeta { Name = "web" },
                Spec = new V1ServiceSpec
                {
                    Selector = new Dictionary<string, string> { ["app"] = "web" },
                    Ports =
                    [
                        new V1ServicePort { Name = "http", Port = 80, TargetPort = 8080 },
                        new V1ServicePort { Name = "grpc", Port = 9090, TargetPort = "grpc-port" },
                        new V1ServicePort { Name = "admin", Port = 9100, TargetPort = "no-such-port" },
                    ],
                },
            },
            name);
        // The pod's spec names the port; whether it ever runs does not matter (its image is never pulled). Without a
        // mounted token it can be created before the new namespace's service account has one.
        await Admin.CoreV1.CreateNamespacedPodAsync(
            new V1Pod
            {
                Metadata = new V1ObjectMeta { Name = "web-1", Labels = new Dictionary<string, string> { ["app"] = "web" } },
                Spec = new V1PodSpec
                {
                    AutomountServiceAccountToken = false,
                    Containers =
                    [
                        new V1Container
                        {
                            Name = "web",
                            Image = "devspaces.local/not-pulled:none",
                            ImagePullPolicy = "Never",
                            Ports = [new V1ContainerPort { Name = "grpc-port", ContainerPort = 50051 }],
                        },
                    ],
                },
            },
            name);
        await Daemon.CallAsync<Selection>("space/select", new { name });

        var named = await Daemon.CallAsync<ServiceList>("service/list", new { space = name });
        var selected = await Daemon.CallAsync<ServiceList>("service/list");
        var web = named.Services.Single();
        Assert.Multiple(() =>
        {
            Assert.That(named.Space, Is.EqualTo(name));
            Assert.That(web.Name, Is.EqualTo("web"));
            Assert.That(web.Type, Is.EqualTo("ClusterIP"));
            Assert.That(web.ClusterIP, Is.Not.Null);
            Assert.That(web.Ports, Is.EqualTo(new[]
            {
                new ServicePortInfo("http", 80, "8080", "TCP", null, 8080),
                new ServicePortInfo("grpc", 9090, "grpc-port", "TCP", null, 50051),
                new ServicePortInfo("admin", 9100, "no-such-port", "TCP", null, null),
            }));
            Assert.That(selected.Services.Select(s => s.Name), Is.EqualTo(new[] { "web" }), "without a space the selected one is used");
        });
    }

    [Test]
    public async Task Listing_Services_Without_A_Selection_Says_To_Select_One()
    {
        var error = await Daemon.ExpectErrorAsync("service/list");
        var missing = await Daemon.ExpectErrorAsync("service/list", new { space = Unique("nothere") });
        Assert.Multiple(() =>
        {
            Assert.That(error.Code, Is.EqualTo(RpcErrorCode.NoSpaceSelected));
            Assert.That(error.Hint, Does.Contain("space select"));
            Assert.That(missing.Code, Is.EqualTo(RpcErrorCode.SpaceNotFound));
        });
    }
}
