using DevSpaces.Contracts;
using DevSpaces.Core.Logging;
using DevSpaces.Core.PortForwarding;
using DevSpaces.Core.Watch;
using DevSpaces.Tests.Support;
using DevSpaces.Tests.Watch;
using k8s;
using k8s.Models;

namespace DevSpaces.Tests.PortForwarding;

/// <summary>Which pod a forward uses, decided from the pods its watch source reports.</summary>
public class ReadyPodTrackerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly PodSelection Selection = new("dev", "app=api", null);

    private Signal<PortForwardEvent> events = null!;

    [SetUp]
    public void Record() => events = new Signal<PortForwardEvent>();

    private static V1Pod Pod(string name, bool ready, string resourceVersion = "1", int createdMinute = 0) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, ResourceVersion = resourceVersion, CreationTimestamp = new DateTime(2026, 1, 1, 0, createdMinute, 0, DateTimeKind.Utc) },
        Status = new V1PodStatus
        {
            Phase = "Running",
            Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False" }],
        },
    };

    private Task<ReadyPodTracker> StartAsync(IWatchSource<V1Pod> pods) =>
        ReadyPodTracker.StartAsync(pods, Selection, events.Add, PodReadiness.IsReady, new NullLog(), new WatchBackoff { Delay = (_, _) => Task.CompletedTask }, CancellationToken.None);

    [Test]
    public async Task The_Newest_Ready_Pod_Is_Chosen_From_The_List()
    {
        var source = new ScriptedWatchSource<V1Pod>().List("10", Pod("old", true, createdMinute: 1), Pod("new", true, createdMinute: 2), Pod("newest", false, createdMinute: 3));
        await using var tracker = await StartAsync(source);

        Assert.Multiple(() =>
        {
            Assert.That(tracker.Current?.Metadata.Name, Is.EqualTo("new"));
            Assert.That(events.Snapshot().Select(e => (e.Kind, e.Pod)), Is.EqualTo(new[] { (ForwardEventKind.PodSelected, (string?)"new") }));
        });
    }

    [Test]
    public async Task The_Current_Pod_Stays_While_It_Is_Ready_Even_When_A_Newer_One_Is()
    {
        var source = new ScriptedWatchSource<V1Pod>()
            .List("10", Pod("a", true, createdMinute: 1))
            .Stream((WatchEventKind.Added, Pod("b", true, "11", createdMinute: 2)), (WatchEventKind.Modified, Pod("a", true, "12", createdMinute: 1)));
        await using var tracker = await StartAsync(source);
        await source.Calls.WaitForAsync(c => c == "watch 12", Timeout, "the watch to resume after both events");

        Assert.That(tracker.Current?.Metadata.Name, Is.EqualTo("a"));
    }

    [Test]
    public async Task When_The_Current_Pod_Goes_Another_Ready_Pod_Takes_Over_And_The_Switch_Is_Reported()
    {
        var source = new ScriptedWatchSource<V1Pod>()
            .List("10", Pod("a", true, createdMinute: 1), Pod("b", true, createdMinute: 0))
            .Stream((WatchEventKind.Deleted, Pod("a", true, "11", createdMinute: 1)));
        await using var tracker = await StartAsync(source);

        var switched = await events.WaitForAsync(e => e.Kind == ForwardEventKind.PodSwitched, Timeout, "the switch to pod b");
        Assert.Multiple(() =>
        {
            Assert.That((switched.PreviousPod, switched.Pod), Is.EqualTo(("a", "b")));
            Assert.That(tracker.Current?.Metadata.Name, Is.EqualTo("b"));
        });
    }

    [Test]
    public async Task Without_A_Ready_Pod_The_Reason_Is_Reported_And_Waiters_Get_The_Next_Ready_One()
    {
        var source = new ScriptedWatchSource<V1Pod>()
            .List("10", Pod("a", false))
            .Stream();
        await using var tracker = await StartAsync(source);
        var noPod = events.Snapshot().Single();
        var waiting = tracker.WaitForReadyPodAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(noPod.Kind, Is.EqualTo(ForwardEventKind.NoReadyPod));
            Assert.That(noPod.Message, Does.Contain("pod a: running but its readiness probe does not pass yet"));
            Assert.That(tracker.DescribeWhyNoPodIsReady(), Does.Contain("pod a"));
            Assert.That(waiting.IsCompleted, Is.False);
        });
    }

    [Test]
    public async Task A_Pod_Becoming_Ready_Completes_The_Wait()
    {
        var source = new ScriptedWatchSource<V1Pod>()
            .List("10", Pod("a", false))
            .Stream((WatchEventKind.Modified, Pod("a", true, "11")));
        await using var tracker = await StartAsync(source);

        var ready = await tracker.WaitForReadyPodAsync(CancellationToken.None).WaitAsync(Timeout);
        Assert.That(ready.Metadata.Name, Is.EqualTo("a"));
    }

    [Test]
    public async Task A_Forgotten_Pod_Is_Not_Used_Until_The_Watch_Reports_It_Again()
    {
        var source = new ScriptedWatchSource<V1Pod>().List("10", Pod("a", true, createdMinute: 1), Pod("b", true, createdMinute: 0));
        await using var tracker = await StartAsync(source);

        tracker.Forget("a");

        Assert.That(tracker.Current?.Metadata.Name, Is.EqualTo("b"));
    }

    [Test]
    public async Task Listed_Again_After_410_The_Pods_That_Went_Meanwhile_Are_Gone()
    {
        var source = new ScriptedWatchSource<V1Pod>()
            .List("10", Pod("a", true, createdMinute: 1), Pod("b", true, createdMinute: 0))
            .StreamThen(new WatchExpiredException("10"))
            .List("20", Pod("b", true, createdMinute: 0));
        await using var tracker = await StartAsync(source);
        await source.Calls.WaitForAsync(c => c == "watch 20", Timeout, "the watch from the second list");

        Assert.That(tracker.Current?.Metadata.Name, Is.EqualTo("b"));
    }

    [Test]
    public void A_First_List_That_Fails_Fails_The_Start()
    {
        var source = new ScriptedWatchSource<V1Pod>().ListFails(new InvalidOperationException("pods is forbidden"));
        var error = Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(source));
        Assert.Multiple(() =>
        {
            Assert.That(error?.Message, Is.EqualTo("pods is forbidden"));
            Assert.That(source.Calls.Snapshot(), Is.EqualTo(new[] { "list" }), "no retry once the caller was told");
        });
    }
}
