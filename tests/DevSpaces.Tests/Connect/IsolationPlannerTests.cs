using DevSpaces.Contracts;
using DevSpaces.Core.Connect;
using DevSpaces.Core.Errors;
using DevSpaces.Core.Routing;
using DevSpaces.Core.Spaces;
using DevSpaces.Tunnel.Takeover;
using k8s.Models;

namespace DevSpaces.Tests.Connect;

/// <summary>The decisions of an isolated connect: which space's version, and when it cannot work, what the user is told.</summary>
public sealed class IsolationPlannerTests
{
    private FakeReads reads = null!;

    [SetUp]
    public void ATreeUnderARoutedRoot()
    {
        reads = new FakeReads();
        reads.Space("shop", null).Space("alice", "shop").Space("alice-x", "alice");
        reads.Service("shop", "api").Service("shop", "web");
        reads.Routed("shop", ["api", "web"], ["alice", "alice-x"]);
    }

    private Task<IsolationTarget> PlanAsync(string space, string service = "api") =>
        new IsolationPlanner(reads).PlanAsync(space, service, CancellationToken.None);

    [Test]
    public async Task A_Child_Takes_The_Roots_Version_And_Names_The_Routed_Root()
    {
        var target = await PlanAsync("alice");
        Assert.That((target.Source, target.Root, target.ChildHoldsService), Is.EqualTo(("shop", "shop", false)));
    }

    [Test]
    public async Task A_Grandchild_Takes_The_Nearest_Ancestors_Version()
    {
        reads.Service("alice", "api");
        var target = await PlanAsync("alice-x");
        Assert.That((target.Source, target.Root), Is.EqualTo(("alice", "shop")));
    }

    [Test]
    public async Task A_Child_Holding_Its_Own_Version_Has_That_One_Taken_Over()
    {
        reads.Service("alice", "api");
        Assert.That((await PlanAsync("alice")).ChildHoldsService, Is.True);
    }

    [Test]
    public async Task A_Service_Left_In_The_Child_By_An_Isolated_Session_Is_Not_Taken_For_The_Childs_Own()
    {
        reads.Service("alice", "api", new Dictionary<string, string> { [TakeoverNames.IsolatedLabel] = "shop", [TakeoverNames.SessionLabel] = "old" });
        var target = await PlanAsync("alice");
        Assert.That((target.Source, target.ChildHoldsService), Is.EqualTo(("shop", false)));
    }

    [Test]
    public void A_Root_Space_Is_Refused_With_How_To_Make_A_Child()
    {
        var error = Assert.ThrowsAsync<DevSpacesException>(() => PlanAsync("shop"))!;
        Assert.That(error.ErrorCode, Is.EqualTo(RpcErrorCode.IsolatedNeedsChildSpace));
        Assert.That(error.Hint, Does.Contain("--parent shop"));
    }

    [Test]
    public void A_Root_Without_Routing_Is_Refused_With_The_Command_That_Enables_It()
    {
        reads.Unrouted("shop");
        var error = Assert.ThrowsAsync<DevSpacesException>(() => PlanAsync("alice"))!;
        Assert.That(error.ErrorCode, Is.EqualTo(RpcErrorCode.RoutingNotEnabled));
        Assert.That(error.Hint, Does.Contain("devspaces routing enable --space shop"));
    }

    [Test]
    public void A_Service_The_Router_Does_Not_Route_Is_Refused()
    {
        reads.Service("shop", "db").Routed("shop", ["api", "web"], ["alice"], tcpOnly: "db");
        var error = Assert.ThrowsAsync<DevSpacesException>(() => PlanAsync("alice", "db"))!;
        Assert.That(error.ErrorCode, Is.EqualTo(RpcErrorCode.ServiceNotRouted));
    }

    [Test]
    public void A_Child_The_Router_Does_Not_Know_Is_Refused_With_The_Command_That_Refreshes_The_Tree()
    {
        reads.Routed("shop", ["api"], []);
        var error = Assert.ThrowsAsync<DevSpacesException>(() => PlanAsync("alice"))!;
        Assert.That(error.ErrorCode, Is.EqualTo(RpcErrorCode.RoutingNotEnabled));
        Assert.That(error.Message, Does.Contain("does not know space 'alice'"));
    }

    [Test]
    public void A_Service_No_Space_On_The_Path_Holds_Is_Refused_Naming_The_Spaces_Searched()
    {
        var error = Assert.ThrowsAsync<DevSpacesException>(() => PlanAsync("alice-x", "nope"))!;
        Assert.That(error.ErrorCode, Is.EqualTo(RpcErrorCode.ConnectTargetInvalid));
        Assert.That(error.Message, Does.Contain("alice, shop"));
    }

    [Test]
    public void Parents_That_Form_A_Cycle_Are_Refused()
    {
        reads.Space("p", "q").Space("q", "p").Space("c", "p");
        var error = Assert.ThrowsAsync<DevSpacesException>(() => PlanAsync("c"))!;
        Assert.That(error.ErrorCode, Is.EqualTo(RpcErrorCode.NotASpace));
    }

    [Test]
    public void A_Space_That_Does_Not_Exist_Is_Named()
    {
        var error = Assert.ThrowsAsync<DevSpacesException>(() => PlanAsync("bob"))!;
        Assert.That(error.ErrorCode, Is.EqualTo(RpcErrorCode.SpaceNotFound));
    }

    private sealed class FakeReads : IIsolationReads
    {
        private readonly Dictionary<string, SpaceRecord> spaces = [];
        private readonly Dictionary<(string, string), V1Service> services = [];
        private readonly Dictionary<string, V1ConfigMap> routing = [];

        public FakeReads Space(string name, string? parent)
        {
            spaces[name] = new SpaceRecord(name, parent, "Active");
            return this;
        }

        public FakeReads Service(string ns, string name, Dictionary<string, string>? labels = null)
        {
            services[(ns, name)] = new V1Service { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = labels } };
            return this;
        }

        public FakeReads Routed(string root, string[] http, string[] children, string? tcpOnly = null)
        {
            var routes = http.Select((s, i) => new RoutedPort(s, "http", 80, RoutingNames.FirstRoutePort + i, true, RoutePlanner.BaselineName(s))).ToList();
            if (tcpOnly is not null)
            {
                routes.Add(new RoutedPort(tcpOnly, "sql", 5432, RoutingNames.FirstRoutePort + routes.Count, false, RoutePlanner.BaselineName(tcpOnly)));
            }

            var config = new RouterConfig(root, $"{root}.localhost", routes, null, 0);
            routing[root] = new V1ConfigMap
            {
                Data = new Dictionary<string, string>
                {
                    [RoutingNames.RoutesKey] = config.ToJson(),
                    [RoutingNames.SpacesKey] = RouterConfig.SpacesToJson(children.Select(c => new RoutedSpace(c, spaces[c].Parent!))),
                },
            };
            return this;
        }

        public void Unrouted(string root) => routing.Remove(root);

        public Task<SpaceRecord?> ReadSpaceAsync(string name, CancellationToken cancellationToken) => Task.FromResult(spaces.GetValueOrDefault(name));

        public Task<V1Service?> ReadServiceAsync(string ns, string name, CancellationToken cancellationToken) => Task.FromResult(services.GetValueOrDefault((ns, name)));

        public Task<V1ConfigMap?> ReadRoutingAsync(string root, CancellationToken cancellationToken) => Task.FromResult(routing.GetValueOrDefault(root));
    }
}
