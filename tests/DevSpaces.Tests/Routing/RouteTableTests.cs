using DevSpaces.Core.Routing;

namespace DevSpaces.Tests.Routing;

public class RouteTableTests
{
    private static readonly RoutedPort Api = new("api", "http", 80, 9000, true, "devspaces-base-api");
    private static readonly RoutedPort Web = new("web", null, 80, 9001, true, "devspaces-base-web");

    // sample ← alice ← alice-x, sample ← bob; alice has api, alice-x has web, bob has both.
    private static RouteTable Table(params RoutedSpace[] extra)
    {
        RoutedSpace[] spaces = [new("alice", "sample"), new("alice-x", "alice"), new("bob", "sample"), .. extra];
        var services = new Dictionary<string, IReadOnlyDictionary<string, RouteTarget>>
        {
            ["sample"] = Held(new RouteTarget("devspaces-base-api", "10.0.0.1", [("http", 80)]), new RouteTarget("devspaces-base-web", "10.0.0.2", [(null, 80)])),
            ["alice"] = Held(new RouteTarget("api", "10.0.1.1", [("http", 8080)])),
            ["alice-x"] = Held(new RouteTarget("web", "10.0.2.2", [(null, 80)])),
            ["bob"] = Held(new RouteTarget("api", "10.0.3.1", [(null, 80)]), new RouteTarget("web", "10.0.3.2", [("other", 81)])),
            ["kube-system"] = Held(new RouteTarget("api", "10.9.9.9", [("http", 80)])),
        };
        return new RouteTable("sample", spaces, services);
    }

    private static IReadOnlyDictionary<string, RouteTarget> Held(params RouteTarget[] targets) => targets.ToDictionary(t => t.Name);

    [Test]
    public void Without_A_Key_The_Baseline_Serves()
    {
        Assert.That(Table().Decide(Api, null), Is.EqualTo(new RouteDecision("sample", "10.0.0.1:80", null)));
    }

    [Test]
    public void A_Child_With_The_Service_Serves_It_On_The_Port_Of_The_Same_Name()
    {
        Assert.That(Table().Decide(Api, "alice"), Is.EqualTo(new RouteDecision("alice", "10.0.1.1:8080", "alice")));
    }

    [Test]
    public void A_Grandchild_Without_The_Service_Falls_Back_To_Its_Parent()
    {
        Assert.That(Table().Decide(Api, "alice-x"), Is.EqualTo(new RouteDecision("alice", "10.0.1.1:8080", "alice-x")));
    }

    [Test]
    public void A_Grandchild_With_The_Service_Serves_It_Itself()
    {
        Assert.That(Table().Decide(Web, "alice-x"), Is.EqualTo(new RouteDecision("alice-x", "10.0.2.2:80", "alice-x")));
    }

    [Test]
    public void A_Child_Without_The_Service_Falls_Back_To_The_Root_And_Keeps_Its_Key()
    {
        Assert.That(Table().Decide(Web, "alice"), Is.EqualTo(new RouteDecision("sample", "10.0.0.2:80", "alice")));
    }

    [Test]
    public void A_Child_Service_Without_A_Matching_Port_Does_Not_Serve()
    {
        // bob's web has only port 81 named 'other': the routed port is unnamed, number 80.
        Assert.That(Table().Decide(Web, "bob").ServedBy, Is.EqualTo("sample"));
        Assert.That(Table().Decide(Api, "bob"), Is.EqualTo(new RouteDecision("bob", "10.0.3.1:80", "bob")));
    }

    [TestCase("kube-system")]
    [TestCase("other-root-child")]
    [TestCase("default")]
    public void A_Namespace_That_Is_Not_A_Descendant_Gets_The_Baseline_Without_A_Key(string space)
    {
        Assert.That(Table().Decide(Api, space), Is.EqualTo(new RouteDecision("sample", "10.0.0.1:80", null)));
    }

    [Test]
    public void The_Root_Named_As_Key_Is_The_Baseline_With_Its_Key()
    {
        Assert.That(Table().Decide(Api, "sample"), Is.EqualTo(new RouteDecision("sample", "10.0.0.1:80", "sample")));
    }

    [Test]
    public void A_Space_Whose_Parents_Never_Reach_The_Root_Is_Not_Part_Of_The_Tree()
    {
        var table = Table(new RoutedSpace("loop-a", "loop-b"), new RoutedSpace("loop-b", "loop-a"), new RoutedSpace("stray", "kube-system"));
        Assert.That(table.PathOf("loop-a"), Is.Null);
        Assert.That(table.PathOf("stray"), Is.Null);
        Assert.That(table.Spaces, Is.EquivalentTo(new[] { "sample", "alice", "alice-x", "bob" }));
    }

    [Test]
    public void Before_The_Roots_Services_Are_Known_There_Is_No_Address()
    {
        var table = new RouteTable("sample", [], new Dictionary<string, IReadOnlyDictionary<string, RouteTarget>>());
        Assert.That(table.Decide(Api, null).Address, Is.Null);
    }

    [Test]
    public void An_ExternalName_Or_Headless_Service_Is_No_Destination()
    {
        var external = new k8s.Models.V1Service { Metadata = new() { Name = "api" }, Spec = new() { Type = "ExternalName", ExternalName = "example.com" } };
        var headless = new k8s.Models.V1Service { Metadata = new() { Name = "api" }, Spec = new() { ClusterIP = "None" } };
        Assert.That(RouteTarget.From(external), Is.Null);
        Assert.That(RouteTarget.From(headless), Is.Null);
    }
}
