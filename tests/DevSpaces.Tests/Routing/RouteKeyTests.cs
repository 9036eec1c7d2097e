using DevSpaces.Core.Routing;

namespace DevSpaces.Tests.Routing;

public class RouteKeyTests
{
    private const string RootHost = "sample.localhost";

    private static RouteKey Read(string[]? header = null, string[]? baggage = null, string? host = null) =>
        RouteKey.Read(header ?? [], baggage ?? [], host, RootHost);

    [Test]
    public void Without_Header_Baggage_Or_Space_Host_There_Is_No_Key()
    {
        var key = Read(host: "frontend");
        Assert.That(key, Is.EqualTo(RouteKey.None));
    }

    [Test]
    public void The_Header_Names_The_Space()
    {
        var key = Read(header: [" alice "]);
        Assert.That((key.Space, key.Source), Is.EqualTo(("alice", RouteKeySource.Header)));
    }

    [Test]
    public void The_Header_Wins_Over_Baggage_And_Host()
    {
        var key = Read(header: ["alice"], baggage: ["devspaces.space=bob"], host: "carol.s.sample.localhost:30080");
        Assert.That((key.Space, key.Source), Is.EqualTo(("alice", RouteKeySource.Header)));
    }

    [Test]
    public void Baggage_Wins_Over_The_Host()
    {
        var key = Read(baggage: ["userId=7,devspaces.space=bob;ttl=3"], host: "carol.s.sample.localhost:30080");
        Assert.That((key.Space, key.Source), Is.EqualTo(("bob", RouteKeySource.Baggage)));
    }

    [Test]
    public void Baggage_Values_Are_Percent_Decoded_And_Read_Across_Headers()
    {
        var key = Read(baggage: ["a=1", " devspaces.space = alice%2Dx "]);
        Assert.That((key.Space, key.Source), Is.EqualTo(("alice-x", RouteKeySource.Baggage)));
    }

    [Test]
    public void The_Space_Url_Host_Names_The_Space_With_Or_Without_Port_In_Any_Case()
    {
        Assert.That(Read(host: "Alice.S.Sample.Localhost:30080").Space, Is.EqualTo("alice"));
        Assert.That(Read(host: "alice-x.s.sample.localhost").Space, Is.EqualTo("alice-x"));
    }

    [TestCase("sample.localhost:30080")]
    [TestCase("s.sample.localhost")]
    [TestCase("alice.s.other.localhost")]
    [TestCase("alice.s.sample.localhost.evil.example")]
    public void A_Host_That_Is_Not_A_Space_Url_Gives_No_Key(string host) =>
        Assert.That(Read(host: host), Is.EqualTo(RouteKey.None));

    [Test]
    public void A_Host_With_Several_Labels_Before_The_Suffix_Is_No_Space()
    {
        var key = Read(host: "a.b.s.sample.localhost");
        Assert.That((key.Space, key.Source), Is.EqualTo(((string?)null, RouteKeySource.Host)));
    }

    [Test]
    public void Several_Headers_Naming_The_Same_Space_Agree()
    {
        Assert.That(Read(header: ["alice", "alice, alice"]).Space, Is.EqualTo("alice"));
    }

    [Test]
    public void Conflicting_Headers_Give_The_Baseline_And_Do_Not_Fall_Through_To_Baggage()
    {
        var key = Read(header: ["alice", "bob"], baggage: ["devspaces.space=alice"]);
        Assert.That((key.Space, key.Source, key.Asked), Is.EqualTo(((string?)null, RouteKeySource.Header, "alice,bob")));
    }

    [Test]
    public void Conflicting_Baggage_Members_Give_The_Baseline()
    {
        var key = Read(baggage: ["devspaces.space=alice", "devspaces.space=bob"], host: "alice.s.sample.localhost");
        Assert.That((key.Space, key.Source), Is.EqualTo(((string?)null, RouteKeySource.Baggage)));
    }

    [TestCase("../x")]
    [TestCase("Alice")]
    [TestCase("-alice")]
    [TestCase("alice.kube-system")]
    [TestCase("al ice")]
    public void A_Value_That_Is_No_Space_Name_Gives_The_Baseline(string value)
    {
        var key = Read(header: [value]);
        Assert.That((key.Space, key.Source), Is.EqualTo(((string?)null, RouteKeySource.Header)));
    }

    [Test]
    public void A_Ten_Kilobyte_Header_Gives_The_Baseline_And_A_Short_Trace()
    {
        var key = Read(header: [new string('a', 10 * 1024)]);
        Assert.That(key.Space, Is.Null);
        Assert.That(key.Asked!.Length, Is.LessThanOrEqualTo(RouteKey.MaxAskedLength + 1));
    }

    [Test]
    public void Baggage_Longer_Than_The_W3C_Limit_Is_Ignored_Whole()
    {
        var key = Read(baggage: ["devspaces.space=alice," + new string('x', RouteKey.MaxBaggageLength)], host: "bob.s.sample.localhost");
        Assert.That((key.Space, key.Source), Is.EqualTo(((string?)null, RouteKeySource.Baggage)));
    }

    [Test]
    public void Empty_Header_Values_Count_As_Absent()
    {
        var key = Read(header: ["", " , "], baggage: ["devspaces.space=bob"]);
        Assert.That((key.Space, key.Source), Is.EqualTo(("bob", RouteKeySource.Baggage)));
    }
}
