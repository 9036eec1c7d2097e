using DevSpaces.Core.Logging;
using DevSpaces.Core.Watch;
using DevSpaces.Tests.Support;
using k8s;
using k8s.Models;

namespace DevSpaces.Tests.Watch;

/// <summary>The decisions of the one list-then-watch: where it resumes, when it lists again, how long it waits.</summary>
public class ListWatchTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private Signal<string> seen = null!;
    private Signal<TimeSpan> waits = null!;

    [SetUp]
    public void Record()
    {
        seen = new Signal<string>();
        waits = new Signal<TimeSpan>();
    }

    private static V1Pod Pod(string name, string resourceVersion) => new() { Metadata = new V1ObjectMeta { Name = name, ResourceVersion = resourceVersion } };

    private static (WatchEventKind, V1Pod) Added(string name, string resourceVersion) => (WatchEventKind.Added, Pod(name, resourceVersion));

    private static (WatchEventKind, V1Pod) Bookmark(string resourceVersion) => (WatchEventKind.Bookmark, Pod("", resourceVersion));

    private WatchHandlers<V1Pod> Handlers(Func<Exception, Task>? failed = null) => new(
        (pods, _) =>
        {
            seen.Add($"listed {string.Join(",", pods.Select(p => p.Metadata.Name))}");
            return Task.CompletedTask;
        },
        (type, pod, _) =>
        {
            seen.Add($"{type.ToString().ToLowerInvariant()} {pod.Metadata.Name}");
            return Task.CompletedTask;
        },
        (error, retryIn, _) =>
        {
            seen.Add($"failed: {error.Message}; again in {retryIn.TotalMilliseconds:0} ms");
            return failed?.Invoke(error) ?? Task.CompletedTask;
        });

    private WatchBackoff Backoff() => new()
    {
        Delay = (wait, _) =>
        {
            waits.Add(wait);
            return Task.CompletedTask;
        },
    };

    private ListWatch<V1Pod> Start(ScriptedWatchSource<V1Pod> source, Func<Exception, Task>? failed = null) =>
        ListWatch<V1Pod>.Start("pods", source, Handlers(failed), new NullLog(), Backoff());

    /// <summary>Waits until the source has been called <paramref name="calls"/>.Length times, and returns what it was asked.</summary>
    private static async Task<IReadOnlyList<string>> CallsAsync(ScriptedWatchSource<V1Pod> source, int count)
    {
        await source.Calls.WaitForAsync(_ => true, Timeout, $"call {count} to the source", from: count - 1);
        return source.Calls.Snapshot();
    }

    [Test]
    public async Task Lists_Then_Watches_From_The_Lists_Version_And_Resumes_From_The_Last_Version_Seen()
    {
        var source = new ScriptedWatchSource<V1Pod>()
            .List("10", Pod("a", "9"))
            .Stream(Added("b", "11"), (WatchEventKind.Modified, Pod("a", "12")), Bookmark("15"));
        await using (Start(source))
        {
            Assert.That(await CallsAsync(source, 3), Is.EqualTo(new[] { "list", "watch 10", "watch 15" }));
        }

        Assert.Multiple(() =>
        {
            Assert.That(seen.Snapshot(), Is.EqualTo(new[] { "listed a", "added b", "modified a" }), "bookmarks are not passed on");
            Assert.That(waits.Snapshot(), Is.Empty, "a stream that delivered events is resumed at once");
        });
    }

    [Test]
    public async Task A_Version_Too_Old_Is_Listed_Again_And_Watched_From_The_New_List()
    {
        var source = new ScriptedWatchSource<V1Pod>()
            .List("10", Pod("a", "9"))
            .StreamThen(new WatchExpiredException("11"), Added("b", "11"))
            .List("20", Pod("a", "9"), Pod("b", "11"), Pod("c", "19"));
        await using (Start(source))
        {
            Assert.That(await CallsAsync(source, 4), Is.EqualTo(new[] { "list", "watch 10", "list", "watch 20" }));
        }

        Assert.That(seen.Snapshot(), Is.EqualTo(new[] { "listed a", "added b", "listed a,b,c" }));
    }

    [Test]
    public async Task A_Stream_That_Ends_At_Once_Is_Resumed_After_A_Doubling_Wait_Until_One_Delivers()
    {
        var source = new ScriptedWatchSource<V1Pod>()
            .List("10")
            .Stream()
            .Stream()
            .Stream()
            .Stream(Bookmark("12"))
            .Stream();
        await using (Start(source))
        {
            Assert.That(await CallsAsync(source, 7), Is.EqualTo(new[] { "list", "watch 10", "watch 10", "watch 10", "watch 10", "watch 12", "watch 12" }));
        }

        Assert.That(waits.Snapshot().Select(w => w.TotalMilliseconds), Is.EqualTo(new[] { 500, 1000, 2000, 500 }),
            "doubling after each empty stream, back to the first wait once a stream delivered");
    }

    [Test]
    public async Task A_Version_That_Is_Too_Old_At_Once_Again_And_Again_Is_Listed_Again_With_A_Growing_Wait()
    {
        var source = new ScriptedWatchSource<V1Pod>()
            .List("10").StreamThen(new WatchExpiredException("10"))
            .List("11").StreamThen(new WatchExpiredException("11"))
            .List("12");
        await using (Start(source))
        {
            Assert.That(await CallsAsync(source, 6), Is.EqualTo(new[] { "list", "watch 10", "list", "watch 11", "list", "watch 12" }));
        }

        Assert.That(waits.Snapshot().Select(w => w.TotalMilliseconds), Is.EqualTo(new[] { 500, 1000 }));
    }

    [Test]
    public async Task A_Failed_List_Is_Reported_Then_Retried_After_The_Wait()
    {
        var source = new ScriptedWatchSource<V1Pod>()
            .ListFails(new InvalidOperationException("server unreachable"))
            .ListFails(new InvalidOperationException("server unreachable"))
            .List("10", Pod("a", "9"));
        await using (Start(source))
        {
            Assert.That(await CallsAsync(source, 4), Is.EqualTo(new[] { "list", "list", "list", "watch 10" }));
        }

        Assert.Multiple(() =>
        {
            Assert.That(seen.Snapshot(), Is.EqualTo(new[] { "failed: server unreachable; again in 500 ms", "failed: server unreachable; again in 1000 ms", "listed a" }));
            Assert.That(waits.Snapshot().Select(w => w.TotalMilliseconds), Is.EqualTo(new[] { 500, 1000 }));
        });
    }

    [Test]
    public async Task A_Stream_That_Fails_Is_Listed_Again_After_The_Wait()
    {
        var source = new ScriptedWatchSource<V1Pod>()
            .List("10")
            .StreamThen(new InvalidOperationException("forbidden"))
            .List("20");
        await using (Start(source))
        {
            Assert.That(await CallsAsync(source, 4), Is.EqualTo(new[] { "list", "watch 10", "list", "watch 20" }));
        }

        Assert.That(seen.Snapshot(), Is.EqualTo(new[] { "listed ", "failed: forbidden; again in 500 ms", "listed " }));
    }

    [Test]
    public async Task An_Established_Stream_That_Breaks_Is_Resumed_Like_One_That_Ended()
    {
        var source = new ScriptedWatchSource<V1Pod>()
            .List("10")
            .StreamThen(new IOException("connection reset"), Added("a", "11"));
        await using (Start(source))
        {
            Assert.That(await CallsAsync(source, 3), Is.EqualTo(new[] { "list", "watch 10", "watch 11" }));
        }

        Assert.That(waits.Snapshot(), Is.Empty);
    }

    [Test]
    public async Task A_Failure_Handler_That_Throws_Ends_The_Watch_With_Its_Exception()
    {
        var source = new ScriptedWatchSource<V1Pod>().ListFails(new InvalidOperationException("forbidden"));
        await using var watch = Start(source, e => Task.FromException(new UnauthorizedAccessException(e.Message)));
        var ended = Assert.ThrowsAsync<UnauthorizedAccessException>(() => watch.Completion.WaitAsync(Timeout));
        Assert.Multiple(() =>
        {
            Assert.That(ended?.Message, Is.EqualTo("forbidden"));
            Assert.That(source.Calls.Snapshot(), Is.EqualTo(new[] { "list" }), "no retry after the handler gave up");
        });
    }

    [Test]
    public async Task Disposing_Cancels_The_Running_Watch_And_Waits_For_It()
    {
        var source = new ScriptedWatchSource<V1Pod>().List("10");
        var watch = Start(source);
        await CallsAsync(source, 2);

        await watch.DisposeAsync();

        Assert.Multiple(() =>
        {
            Assert.That(watch.Completion.IsCompletedSuccessfully, Is.True, "the loop has ended when dispose returns");
            Assert.That(source.Cancelled.Snapshot(), Is.EqualTo(new[] { "watch 10" }));
        });
    }
}
