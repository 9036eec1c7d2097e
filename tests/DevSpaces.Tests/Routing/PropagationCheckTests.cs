using System.Net;
using DevSpaces.Cli.Commands;
using DevSpaces.Contracts;
using DevSpaces.Core.Routing;

namespace DevSpaces.Tests.Routing;

public class PropagationCheckTests
{
    private const string Trace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    private const string SameTraceOtherSpan = "00-4bf92f3577b34da6a3ce929d0e0e4736-b7ad6b7169203331-01";
    private const string OtherTrace = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    private static readonly IPAddress Outside = IPAddress.Parse("10.0.0.1");
    private static readonly IPAddress WebPod = IPAddress.Parse("10.1.0.5");
    private static readonly IPAddress ApiPod = IPAddress.Parse("10.1.0.6");

    [Test]
    public void A_Keyless_Call_With_The_Trace_Id_Of_A_Keyed_Request_Names_The_Service_Serving_It_Exactly()
    {
        var check = new PropagationCheck("sample");
        check.KeyedArrived("alice", "web", "sample", Trace, Outside);

        var drop = check.Check("api", SameTraceOtherSpan, WebPod);

        Assert.That(drop, Is.EqualTo(new KeyDrop("alice", "web", "sample", Exact: true)));
    }

    [Test]
    public void In_A_Longer_Chain_The_Innermost_Service_Still_Serving_Is_Named()
    {
        var check = new PropagationCheck("sample");
        check.KeyedArrived("alice", "web", "sample", Trace, Outside);
        var api = check.KeyedArrived("alice", "api", "alice", SameTraceOtherSpan, WebPod);

        Assert.That(check.Check("java", OtherTrace[..3] + Trace[3..35] + "-1111111111111111-01", ApiPod)?.Service, Is.EqualTo("api"));

        check.Completed(api);
        Assert.That(check.Check("java", Trace, WebPod)?.Service, Is.EqualTo("web"), "api answered: web, still serving, made the call");
    }

    [Test]
    public void A_Keyless_Request_Of_Another_Trace_Or_With_No_Keyed_Request_Around_Is_Not_Marked()
    {
        var check = new PropagationCheck("sample");
        Assert.That(check.Check("api", Trace, WebPod), Is.Null, "nothing keyed yet");

        check.KeyedArrived("alice", "web", "sample", Trace, Outside);
        Assert.That(check.Check("api", OtherTrace, WebPod), Is.Null, "another request chain");
    }

    [Test]
    public void Without_Traceparent_A_Call_Made_While_A_Keyed_Request_Is_Served_Is_A_Best_Guess()
    {
        var check = new PropagationCheck("sample");
        var web = check.KeyedArrived("alice", "web", "sample", null, Outside);

        Assert.That(check.Check("api", null, WebPod), Is.EqualTo(new KeyDrop("alice", "web", "sample", Exact: false)));
        Assert.That(check.Check("api", null, Outside), Is.Null, "the keyed request's own caller sending a keyless one is not a drop");
        Assert.That(check.Check("web", null, WebPod), Is.Null, "a service is not named for a call to itself");

        check.Completed(web);
        Assert.That(check.Check("api", null, WebPod), Is.Null, "nothing keyed is being served any more");
    }

    [Test]
    public void A_Key_For_The_Root_Or_None_Is_Not_Followed()
    {
        var check = new PropagationCheck("sample");
        Assert.That(check.KeyedArrived("sample", "web", "sample", Trace, Outside), Is.Null);
        Assert.That(check.KeyedArrived(null, "web", "sample", Trace, Outside), Is.Null);
        Assert.That(check.Check("api", Trace, WebPod), Is.Null);
    }

    [Test]
    public void A_Keyed_Request_Is_Forgotten_A_While_After_It_Ended()
    {
        var clock = new SteppedClock();
        var check = new PropagationCheck("sample", clock);
        check.Completed(check.KeyedArrived("alice", "web", "sample", Trace, Outside));
        Assert.That(check.Check("api", Trace, WebPod), Is.Not.Null, "just answered: a late call of the same trace is still linked");

        clock.Advance(PropagationCheck.Window + TimeSpan.FromSeconds(1));
        check.KeyedArrived("bob", "web", "sample", OtherTrace, Outside);

        Assert.That(check.Check("api", Trace, WebPod), Is.Null);
    }

    [TestCase("")]
    [TestCase("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")]
    [TestCase("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01")]
    [TestCase("00-00000000000000000000000000000000-00f067aa0ba902b7-01")]
    [TestCase("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7")]
    public void A_Malformed_Traceparent_Has_No_Trace_Id(string traceparent)
    {
        Assert.That(PropagationCheck.TraceIdOf(traceparent).IsEmpty, Is.True);
    }

    [Test]
    public void Traces_Show_Which_Service_Must_Forward_The_Key_And_How_Sure_That_Is()
    {
        var trace = new HttpTrace(1, "2026-01-01T10:00:00.0000000Z", null, "none", null, "api", "GET", "/", 200, 1.5, "sample", new KeyDrop("alice", "web", "sample", Exact: true));

        var lines = RoutingCommand.Line(trace).Split('\n');

        Assert.That(lines, Has.Length.EqualTo(2));
        Assert.That(lines[1], Does.Contain("key for 'alice' dropped: web").And.Contain("web must forward the devspaces-route-as").And.Contain("exact"));
        Assert.That(RoutingCommand.Line(trace with { KeyDropped = trace.KeyDropped! with { Exact = false } }), Does.Contain("best guess"));
        Assert.That(RoutingCommand.Line(trace with { KeyDropped = null }), Does.Not.Contain("\n"));
    }

    private sealed class SteppedClock : TimeProvider
    {
        private long ticks = 1;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => ticks;

        public void Advance(TimeSpan by) => ticks += by.Ticks;
    }
}
