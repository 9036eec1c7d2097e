using DevSpaces.Contracts;
using DevSpaces.Core.Cluster;
using DevSpaces.Core.Errors;
using DevSpaces.Core.Logging;
using DevSpaces.Core.Rpc;
using DevSpaces.Core.Spaces;
using DevSpaces.Core.Workspace;
using DevSpaces.Tests.Support;
using DevSpaces.Core.Cluster.Api;

namespace DevSpaces.Tests.Spaces;

/// <summary>What the space operations decide, in process, against namespaces held in memory.</summary>
public class SpaceServiceTests
{
    private TempDirectory dir = null!;
    private WorkspaceSession session = null!;
    private FakeNamespaces cluster = null!;
    private SpaceService spaces = null!;

    [SetUp]
    public void OpenWorkspace()
    {
        dir = new TempDirectory();
        session = new WorkspaceSession(new KubeconfigSource(Kubeconfigs.Unreachable(dir), null, dir.Path), new NoClientNotifier(), new NullLog(), dir.Path);
        cluster = new FakeNamespaces();
        spaces = new SpaceService(session, () => cluster);
    }

    [TearDown]
    public void CloseWorkspace()
    {
        session.Dispose();
        dir.Dispose();
    }

    private static void Refused(AsyncTestDelegate call, int code)
    {
        var error = Assert.ThrowsAsync<DevSpacesException>(call);
        Assert.That(error?.ErrorCode, Is.EqualTo(code), error?.Message);
    }

    [Test]
    public async Task A_New_Root_Space_Is_A_New_Labelled_Namespace()
    {
        var created = await spaces.CreateSpaceAsync("team");

        Assert.Multiple(() =>
        {
            Assert.That(created, Is.EqualTo(new CreateSpaceResult("team", null, NamespaceCreated: true)));
            Assert.That(SpaceRecord.From(cluster.Namespaces["team"]), Is.EqualTo(new SpaceRecord("team", null, "Active")));
        });
    }

    [Test]
    public async Task An_Existing_Namespace_Becomes_A_Root_Space_By_Its_Label_Only()
    {
        cluster.Add("legacy", space: false);

        var created = await spaces.CreateSpaceAsync("legacy");

        Assert.Multiple(() =>
        {
            Assert.That(created.NamespaceCreated, Is.False);
            Assert.That(cluster.Calls, Is.EqualTo(new[] { "label legacy" }), "nothing is created or deleted");
        });
    }

    [Test]
    public async Task A_Child_Needs_A_Parent_Space_And_A_New_Name()
    {
        cluster.Add("team", space: true);
        cluster.Add("plain", space: false);
        cluster.Add("taken", space: false);

        Refused(() => spaces.CreateSpaceAsync("alice", "nobody"), RpcErrorCode.SpaceNotFound);
        Refused(() => spaces.CreateSpaceAsync("alice", "plain"), RpcErrorCode.NotASpace);
        Refused(() => spaces.CreateSpaceAsync("taken", "team"), RpcErrorCode.SpaceAlreadyExists);
        var created = await spaces.CreateSpaceAsync("alice", "team");

        Assert.Multiple(() =>
        {
            Assert.That(created, Is.EqualTo(new CreateSpaceResult("alice", "team", NamespaceCreated: true)));
            Assert.That(SpaceRecord.From(cluster.Namespaces["alice"])?.Parent, Is.EqualTo("team"));
            Assert.That(cluster.Calls, Is.EqualTo(new[] { "create alice" }), "refusals change nothing");
        });
    }

    [Test]
    public void A_Terminating_Namespace_Is_Neither_Made_A_Space_Nor_Selected()
    {
        cluster.Add("old", space: false, phase: "Terminating");
        cluster.Add("going", space: true, phase: "Terminating");

        Refused(() => spaces.CreateSpaceAsync("old"), RpcErrorCode.Conflict);
        Refused(() => spaces.SelectSpaceAsync("going"), RpcErrorCode.Conflict);

        Assert.Multiple(() =>
        {
            Assert.That(cluster.Calls, Is.Empty);
            Assert.That(session.State.Space, Is.Null);
        });
    }

    [Test]
    public async Task Only_An_Existing_Space_Is_Selected_And_Remembered_For_The_Folder()
    {
        cluster.Add("team", space: true);
        cluster.Add("plain", space: false);

        Refused(() => spaces.SelectSpaceAsync("nobody"), RpcErrorCode.SpaceNotFound);
        Refused(() => spaces.SelectSpaceAsync("plain"), RpcErrorCode.NotASpace);
        await spaces.SelectSpaceAsync("team");

        Assert.That(new WorkspaceStateStore(dir.Path).Load().Space, Is.EqualTo("team"));
    }

    [Test]
    public async Task A_Space_With_Children_Is_Deleted_Only_Recursively_Leaves_First_And_The_Selection_Goes_With_It()
    {
        cluster.Add("team", space: true);
        cluster.Add("alice", space: true, parent: "team");
        cluster.Add("alice-pr", space: true, parent: "alice");
        cluster.Add("bob", space: true, parent: "team");
        await spaces.SelectSpaceAsync("alice");

        Refused(() => spaces.DeleteSpaceAsync("team"), RpcErrorCode.SpaceHasChildren);
        var deleted = await spaces.DeleteSpaceAsync("team", recursive: true);

        Assert.Multiple(() =>
        {
            Assert.That(deleted.Deleted.Last(), Is.EqualTo("team"));
            Assert.That(deleted.Deleted.ToList().IndexOf("alice-pr"), Is.LessThan(deleted.Deleted.ToList().IndexOf("alice")), "children before their parent");
            Assert.That(deleted.Deleted, Is.EquivalentTo(new[] { "team", "alice", "alice-pr", "bob" }));
            Assert.That(deleted.SelectionCleared, Is.True);
            Assert.That(session.State.Space, Is.Null);
        });
    }

    [Test]
    public void Only_Namespaces_That_Are_Spaces_Are_Deleted()
    {
        cluster.Add("kube-system", space: false);

        Refused(() => spaces.DeleteSpaceAsync("kube-system", recursive: true), RpcErrorCode.NotASpace);

        Assert.That(cluster.Calls, Is.Empty);
    }

    /// <summary>Namespaces in memory, with the changes made to them.</summary>
    private sealed class FakeNamespaces : ISpaceNamespaces
    {
        public Dictionary<string, ApiNamespace> Namespaces { get; } = [];

        public List<string> Calls { get; } = [];

        public string Context => "test";

        public void Add(string name, bool space, string? parent = null, string phase = "Active")
        {
            var labels = new Dictionary<string, string>();
            if (space)
            {
                labels[SpaceLabels.Space] = "true";
            }

            if (parent != null)
            {
                labels[SpaceLabels.Parent] = parent;
            }

            Namespaces[name] = new ApiNamespace { Metadata = new ApiObjectMeta { Name = name, Labels = labels }, Status = new ApiNamespaceStatus { Phase = phase } };
        }

        public Task<IReadOnlyList<SpaceRecord>> ListSpacesAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<SpaceRecord>>([.. Namespaces.Values.Select(SpaceRecord.From).OfType<SpaceRecord>()]);

        public Task<ApiNamespace?> ReadAsync(string name, CancellationToken cancellationToken) =>
            Task.FromResult(Namespaces.GetValueOrDefault(name));

        public Task CreateSpaceAsync(string name, string? parent, CancellationToken cancellationToken)
        {
            Calls.Add($"create {name}");
            Add(name, space: true, parent);
            return Task.CompletedTask;
        }

        public Task MakeRootSpaceAsync(string name, CancellationToken cancellationToken)
        {
            Calls.Add($"label {name}");
            var old = Namespaces[name];
            var labels = new Dictionary<string, string>(old.Metadata.Labels ?? new Dictionary<string, string>()) { [SpaceLabels.Space] = "true" };
            Namespaces[name] = new ApiNamespace { Metadata = new ApiObjectMeta { Name = name, Labels = labels }, Status = old.Status };
            return Task.CompletedTask;
        }

        public Task DeleteAsync(string name, CancellationToken cancellationToken)
        {
            Calls.Add($"delete {name}");
            Namespaces.Remove(name);
            return Task.CompletedTask;
        }
    }
}
