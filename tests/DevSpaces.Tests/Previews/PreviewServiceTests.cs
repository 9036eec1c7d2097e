using DevSpaces.Contracts;
using DevSpaces.Core.Errors;
using DevSpaces.Core.Previews;
using DevSpaces.Core.Spaces;
using DevSpaces.Core.Up;
using DevSpaces.Tests.Support;
using k8s.Models;

namespace DevSpaces.Tests.Previews;

/// <summary>What preview up, down and list decide, in process, against namespaces held in memory.</summary>
public class PreviewServiceTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeClock clock = new(Start);
    private FakePreviewNamespaces cluster = null!;
    private RecordingDeployer deployer = null!;
    private FakeRouting routing = null!;
    private PreviewService previews = null!;
    private TempDirectory dir = null!;

    [SetUp]
    public void MakeCluster()
    {
        clock.Now = Start;
        cluster = new FakePreviewNamespaces();
        cluster.Add("shop", new Dictionary<string, string> { [SpaceLabels.Space] = "true" });
        deployer = new RecordingDeployer();
        routing = new FakeRouting();
        previews = new PreviewService(cluster, deployer, routing, clock);
        dir = new TempDirectory();
    }

    [TearDown]
    public void Clean() => dir.Dispose();

    private string ServiceFolder(string service)
    {
        var folder = Path.Combine(dir.Path, service);
        Directory.CreateDirectory(Path.Combine(folder, "k8s"));
        File.WriteAllText(Path.Combine(folder, "devspaces.yaml"), $"version: 1\nservice: {service}\ndeploy:\n  manifests: [k8s/{service}.yaml]\n");
        File.WriteAllText(Path.Combine(folder, "k8s", $"{service}.yaml"), "");
        File.WriteAllText(Path.Combine(folder, "Dockerfile"), "FROM scratch\n");
        return folder;
    }

    private PreviewRequest Request(string name, params string[] folders) =>
        new(name, "shop", folders, new Dictionary<string, string>(), new Dictionary<string, string>(), "abc1234", 12);

    [Test]
    public async Task Up_Creates_A_Child_Space_Labelled_As_A_Preview_And_Deploys_Into_It()
    {
        var api = ServiceFolder("api");
        var info = await previews.UpAsync(Request("pr-12", api), _ => { }, CancellationToken.None);

        var ns = cluster.Namespaces["pr-12"];
        Assert.Multiple(() =>
        {
            Assert.That(ns.Metadata.Labels, Does.Contain(new KeyValuePair<string, string>(SpaceLabels.Space, "true")));
            Assert.That(ns.Metadata.Labels, Does.Contain(new KeyValuePair<string, string>(SpaceLabels.Parent, "shop")));
            Assert.That(ns.Metadata.Labels, Does.Contain(new KeyValuePair<string, string>(PreviewLabels.Preview, "true")));
            Assert.That(ns.Metadata.Labels, Does.Contain(new KeyValuePair<string, string>(PreviewLabels.PullRequest, "12")));
            Assert.That(ns.Metadata.Annotations[PreviewLabels.Commit], Is.EqualTo("abc1234"));
            Assert.That(deployer.Deployed, Is.EqualTo(new[] { ("api", "pr-12", (string?)null) }));
            Assert.That(info.Services.Select(s => s.Service), Is.EqualTo(new[] { "api" }));
            Assert.That(info.Url, Is.Null);
        });
    }

    [Test]
    public async Task Up_Again_Updates_The_Same_Space_In_Place_With_The_New_Commit_And_Keeps_Its_Creation_Time()
    {
        var api = ServiceFolder("api");
        await previews.UpAsync(Request("pr-12", api), _ => { }, CancellationToken.None);
        clock.Now = Start.AddHours(2);
        var info = await previews.UpAsync(Request("pr-12", api) with { Commit = "def5678" }, _ => { }, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(cluster.Created, Is.EqualTo(1), "one namespace was ever created");
            Assert.That(info.Commit, Is.EqualTo("def5678"));
            Assert.That(info.Created, Is.EqualTo(Start));
            Assert.That(info.Updated, Is.EqualTo(Start.AddHours(2)));
            Assert.That(deployer.Deployed, Has.Count.EqualTo(2));
        });
    }

    [Test]
    public async Task A_Given_Image_Is_Passed_For_Its_Service_Only()
    {
        var api = ServiceFolder("api");
        var web = ServiceFolder("web");
        await previews.UpAsync(Request("pr-12", api, web) with { Images = new Dictionary<string, string> { ["web"] = "registry.example/web:1" } }, _ => { }, CancellationToken.None);
        Assert.That(deployer.Deployed, Is.EqualTo(new[] { ("api", "pr-12", (string?)null), ("web", "pr-12", "registry.example/web:1") }));
    }

    [Test]
    public async Task A_Branch_Name_Becomes_A_Valid_Space_Name()
    {
        var info = await previews.UpAsync(Request("feature/Login"), _ => { }, CancellationToken.None);
        Assert.That(info.Name, Is.EqualTo(PreviewName.From("feature/Login")));
        Assert.That(cluster.Namespaces.ContainsKey(info.Name), Is.True);
    }

    [Test]
    public void Up_Refuses_A_Space_That_Is_Not_A_Preview_And_Deploys_Nothing()
    {
        cluster.Add("alice", new Dictionary<string, string> { [SpaceLabels.Space] = "true", [SpaceLabels.Parent] = "shop" });
        var error = Assert.ThrowsAsync<DevSpacesException>(() => previews.UpAsync(Request("alice", ServiceFolder("api")), _ => { }, CancellationToken.None));
        Assert.That(error!.ErrorCode, Is.EqualTo(RpcErrorCode.NotAPreview));
        Assert.That(deployer.Deployed, Is.Empty);
        Assert.That(cluster.Namespaces["alice"].Metadata.Labels, Does.Not.ContainKey(PreviewLabels.Preview));
    }

    [Test]
    public async Task Up_Refuses_A_Preview_Of_Another_Parent()
    {
        cluster.Add("other", new Dictionary<string, string> { [SpaceLabels.Space] = "true" });
        await previews.UpAsync(Request("pr-1") with { Parent = "other" }, _ => { }, CancellationToken.None);
        var error = Assert.ThrowsAsync<DevSpacesException>(() => previews.UpAsync(Request("pr-1"), _ => { }, CancellationToken.None));
        Assert.That(error!.ErrorCode, Is.EqualTo(RpcErrorCode.NotAPreview));
        Assert.That(error.Hint, Does.Contain("--parent other"));
    }

    [Test]
    public void Up_Under_A_Parent_That_Is_Missing_Or_Not_A_Space_Says_So()
    {
        cluster.Add("plain", new Dictionary<string, string>());
        var missing = Assert.ThrowsAsync<DevSpacesException>(() => previews.UpAsync(Request("pr-1") with { Parent = "nope" }, _ => { }, CancellationToken.None));
        var plain = Assert.ThrowsAsync<DevSpacesException>(() => previews.UpAsync(Request("pr-1") with { Parent = "plain" }, _ => { }, CancellationToken.None));
        Assert.That(missing!.ErrorCode, Is.EqualTo(RpcErrorCode.SpaceNotFound));
        Assert.That(plain!.ErrorCode, Is.EqualTo(RpcErrorCode.NotASpace));
        Assert.That(cluster.Created, Is.Zero);
    }

    [Test]
    public async Task Up_Into_A_Namespace_An_Administrator_Created_As_A_Preview_Uses_It()
    {
        cluster.Add("pr-7", new Dictionary<string, string> { [SpaceLabels.Space] = "true", [SpaceLabels.Parent] = "shop", [PreviewLabels.Preview] = "true" });
        var info = await previews.UpAsync(Request("pr-7", ServiceFolder("api")), _ => { }, CancellationToken.None);
        Assert.That(cluster.Created, Is.Zero);
        Assert.That(info.Created, Is.EqualTo(Start));
        Assert.That(deployer.Deployed, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Down_Deletes_A_Preview_And_Refuses_Any_Other_Space()
    {
        await previews.UpAsync(Request("pr-12"), _ => { }, CancellationToken.None);
        cluster.Add("alice", new Dictionary<string, string> { [SpaceLabels.Space] = "true", [SpaceLabels.Parent] = "shop" });

        var down = await previews.DownAsync("pr-12", CancellationToken.None);
        var error = Assert.ThrowsAsync<DevSpacesException>(() => previews.DownAsync("alice", CancellationToken.None));
        var again = await previews.DownAsync("pr-12", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(down.Deleted, Is.True);
            Assert.That(cluster.Namespaces.ContainsKey("pr-12"), Is.False);
            Assert.That(error!.ErrorCode, Is.EqualTo(RpcErrorCode.NotAPreview));
            Assert.That(cluster.Namespaces.ContainsKey("alice"), Is.True);
            Assert.That(again.Deleted, Is.False, "a preview already gone is nothing to remove, not a failure (a pull request closed twice)");
        });
    }

    [Test]
    public async Task Down_Of_A_Preview_Already_Being_Deleted_Succeeds_Without_Deleting_Again()
    {
        await previews.UpAsync(Request("pr-12"), _ => { }, CancellationToken.None);
        cluster.Namespaces["pr-12"].Status.Phase = "Terminating";
        var down = await previews.DownAsync("pr-12", CancellationToken.None);
        Assert.That(down.Deleted, Is.False);
        Assert.That(down.Message, Does.Contain("already being deleted"));
        Assert.That(routing.Calls, Has.None.StartsWith("removed"));
    }

    [Test]
    public async Task List_Shows_Previews_Oldest_First_And_Deletes_Only_The_Stale_Ones()
    {
        await previews.UpAsync(Request("pr-1"), _ => { }, CancellationToken.None);
        clock.Now = Start.AddDays(5);
        await previews.UpAsync(Request("pr-2"), _ => { }, CancellationToken.None);
        cluster.Add("alice", new Dictionary<string, string> { [SpaceLabels.Space] = "true", [SpaceLabels.Parent] = "shop" });
        clock.Now = Start.AddDays(8);

        var all = await previews.ListAsync(null, null, false, CancellationToken.None);
        var pruned = await previews.ListAsync("shop", TimeSpan.FromDays(7), true, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(all.Previews.Select(p => (p.Name, p.Age)), Is.EqualTo(new[] { ("pr-1", "8d"), ("pr-2", "3d") }));
            Assert.That(pruned.Deleted, Is.EqualTo(new[] { "pr-1" }));
            Assert.That(cluster.Namespaces.Keys, Is.EquivalentTo(new[] { "shop", "pr-2", "alice" }));
        });
    }

    [Test]
    public async Task Under_A_Routed_Root_A_Preview_Is_Routed_Gets_Its_Url_And_Is_Forgotten_When_Removed()
    {
        routing.Routed = true;
        var info = await previews.UpAsync(Request("pr-12"), _ => { }, CancellationToken.None);
        await previews.UpAsync(Request("pr-12"), _ => { }, CancellationToken.None);
        await previews.DownAsync("pr-12", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(info.Url, Is.EqualTo("http://pr-12.s.shop.localhost:30000/"));
            Assert.That(info.Reach, Is.Null);
            Assert.That(routing.Calls, Is.EqualTo(new[] { "added shop/pr-12", "added shop/pr-12", "removed shop/pr-12" }));
        });
    }

    [Test]
    public async Task A_Preview_Under_A_Child_Space_Resolves_Names_In_Every_Ancestor_Parent_First()
    {
        cluster.Add("team", new Dictionary<string, string> { [SpaceLabels.Space] = "true", [SpaceLabels.Parent] = "shop" });
        await previews.UpAsync(Request("pr-3", ServiceFolder("api")) with { Parent = "team" }, _ => { }, CancellationToken.None);
        Assert.That(deployer.Ancestors, Is.EqualTo(new[] { "team", "shop" }));
    }

    [Test]
    public async Task Without_Routing_A_Preview_Says_How_It_Is_Reached()
    {
        var info = await previews.UpAsync(Request("pr-12"), _ => { }, CancellationToken.None);
        Assert.That(info.Url, Is.Null);
        Assert.That(info.Reach, Does.Contain("devspaces routing enable").And.Contain("--space pr-12"));
    }

    private sealed class FakeRouting : ISpaceRouting
    {
        public bool Routed { get; set; }

        public List<string> Calls { get; } = [];

        public Task AddedAsync(string parent, string space, CancellationToken cancellationToken)
        {
            Calls.Add($"added {parent}/{space}");
            return Task.CompletedTask;
        }

        public Task<string?> UrlAsync(string parent, string space, CancellationToken cancellationToken) =>
            Task.FromResult(Routed ? $"http://{space}.s.{parent}.localhost:30000/" : null);

        public Task RemovedAsync(string parent, string space, CancellationToken cancellationToken)
        {
            Calls.Add($"removed {parent}/{space}");
            return Task.CompletedTask;
        }
    }

    private sealed class FakeClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private sealed class RecordingDeployer : IPreviewDeployer
    {
        public List<(string Service, string Namespace, string? Image)> Deployed { get; } = [];

        public IReadOnlyList<string> Ancestors { get; private set; } = [];

        public Task<PreviewServiceInfo> DeployAsync(string folder, string ns, IReadOnlyList<string> ancestors, IReadOnlyDictionary<string, string> buildArgs, string? image, Action<UpEvent> events, CancellationToken cancellationToken)
        {
            var service = Path.GetFileName(folder);
            Deployed.Add((service, ns, image));
            Ancestors = ancestors;
            return Task.FromResult(new PreviewServiceInfo(service, image ?? $"{service}:built", $"{service}-pod"));
        }
    }

    private sealed class FakePreviewNamespaces : IPreviewNamespaces
    {
        public Dictionary<string, V1Namespace> Namespaces { get; } = [];

        public int Created { get; private set; }

        public void Add(string name, Dictionary<string, string> labels) =>
            Namespaces[name] = new V1Namespace { Metadata = new V1ObjectMeta { Name = name, Labels = labels, CreationTimestamp = Start.UtcDateTime }, Status = new V1NamespaceStatus { Phase = "Active" } };

        public Task<V1Namespace?> ReadAsync(string name, CancellationToken cancellationToken) => Task.FromResult(Namespaces.GetValueOrDefault(name));

        public Task CreateAsync(string name, IReadOnlyDictionary<string, string> labels, IReadOnlyDictionary<string, string> annotations, CancellationToken cancellationToken)
        {
            Created++;
            Namespaces[name] = new V1Namespace { Metadata = new V1ObjectMeta { Name = name, Labels = labels.ToDictionary(), Annotations = annotations.ToDictionary() }, Status = new V1NamespaceStatus { Phase = "Active" } };
            return Task.CompletedTask;
        }

        public Task AnnotateAsync(string name, IReadOnlyDictionary<string, string> labels, IReadOnlyDictionary<string, string> annotations, CancellationToken cancellationToken)
        {
            var meta = Namespaces[name].Metadata;
            meta.Labels ??= new Dictionary<string, string>();
            meta.Annotations ??= new Dictionary<string, string>();
            foreach (var (key, value) in labels)
            {
                meta.Labels[key] = value;
            }

            foreach (var (key, value) in annotations)
            {
                meta.Annotations[key] = value;
            }

            return Task.CompletedTask;
        }

        public Task<IReadOnlyList<V1Namespace>> ListPreviewsAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<V1Namespace>>(Namespaces.Values.Where(PreviewRecord.IsPreview).ToList());

        public Task DeleteAsync(string name, CancellationToken cancellationToken)
        {
            Namespaces.Remove(name);
            return Task.CompletedTask;
        }
    }
}
