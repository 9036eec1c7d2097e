using System.Collections.Concurrent;
using DevSpaces.ClusterTests.Support;
using DevSpaces.Contracts;
using DevSpaces.Core.Project;
using DevSpaces.Core.Up;
using k8s;

namespace DevSpaces.ClusterTests.Up;

/// <summary>
/// Two of the sample's services (the Node.js front end and the Java quotes service) up at once in one space: each has
/// its own URL, output and restarts, and <c>down</c> of one leaves the other running.
/// </summary>
public sealed class UpSeveralServicesTests
{
    [Test]
    public async Task Two_Services_Up_At_Once_Answer_Log_And_Restart_Each_On_Its_Own_And_Down_Of_One_Leaves_The_Other()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(6));
        await using var space = await UpSpace.CreateAsync("up-many", cts.Token);
        var up = space.CreateService();
        var frontend = Path.Combine(space.Folder, "frontend");
        var quotes = Path.Combine(space.Folder, "quotes");
        var (frontendEvents, quotesEvents) = (new ConcurrentQueue<UpEvent>(), new ConcurrentQueue<UpEvent>());
        UpSampleTests.CopyFolder(Path.Combine(TestCluster.RepositoryRoot, "samples", "frontend"), frontend);
        UpSampleTests.CopyFolder(Path.Combine(TestCluster.RepositoryRoot, "samples", "quotes"), quotes);
        ProjectPreparer.Prepare(frontend, "frontend");
        ProjectPreparer.Prepare(quotes, "quotes");
        var starting = new[]
        {
            up.StartAsync(new UpRequest(frontend, space.Namespace, null, true, new Dictionary<string, string> { ["NODE_IMAGE"] = "devspaces.local/node:20" }), frontendEvents.Enqueue, cts.Token),
            up.StartAsync(new UpRequest(quotes, space.Namespace, null, true, new Dictionary<string, string> { ["JDK_IMAGE"] = "devspaces.local/java:17", ["JRE_IMAGE"] = "devspaces.local/java:17" }), quotesEvents.Enqueue, cts.Token),
        };
        await using var frontendSession = await starting[0];
        await using var quotesSession = await starting[1];

        Assert.That(frontendSession.Url, Is.Not.EqualTo(quotesSession.Url));
        await UpAnswers.UntilAsync(frontendSession.Url!, "/healthz", a => a.Contains("\"frontend\""), frontendEvents);
        await UpAnswers.UntilAsync(quotesSession.Url!, "/healthz", a => a.Contains("\"quotes\""), quotesEvents);
        await WaitForLogAsync(frontendEvents, "frontend GET /healthz");
        await WaitForLogAsync(quotesEvents, "quotes GET /healthz");
        Assert.That(frontendEvents.Where(e => e.Kind == UpEventKind.Log).Select(e => e.Message), Has.None.Contains(" quotes "), "the front end's output holds no line of quotes");
        Assert.That(quotesEvents.Where(e => e.Kind == UpEventKind.Log).Select(e => e.Message), Has.None.Contains(" frontend "), "the output of quotes holds no line of the front end");

        var quotesPid = (await quotesSession.GetAppStatusAsync(cts.Token)).Pid;
        var frontendPid = (await frontendSession.GetAppStatusAsync(cts.Token)).Pid;
        File.AppendAllText(Path.Combine(frontend, "server.js"), "\n// edited\n");
        await ClusterWaits.ConditionAsync(() => Task.FromResult(frontendEvents.Any(e => e.Kind == UpEventKind.Restarted)), TimeSpan.FromSeconds(60), () => $"the front end restarts; events: {UpAnswers.Describe(frontendEvents)}");
        Assert.That((await frontendSession.GetAppStatusAsync(cts.Token)).Pid, Is.Not.EqualTo(frontendPid), "the front end restarted");
        Assert.That((await quotesSession.GetAppStatusAsync(cts.Token)).Pid, Is.EqualTo(quotesPid), "quotes did not");
        Assert.That(quotesEvents.Select(e => e.Kind), Has.None.EqualTo(UpEventKind.Restarted));

        await frontendSession.DisposeAsync();
        Assert.That(await up.DownAsync(frontend, space.Namespace, cts.Token), Does.Contain("deleted Deployment/frontend"));
        Assert.That((await space.Cluster.Client.AppsV1.ListNamespacedDeploymentAsync(space.Namespace, cancellationToken: cts.Token)).Items.Select(d => d.Metadata.Name), Is.EqualTo(new[] { "quotes" }));
        await UpAnswers.UntilAsync(quotesSession.Url!, "/healthz", a => a.Contains("\"quotes\""), quotesEvents);
        Assert.That((await quotesSession.GetAppStatusAsync(cts.Token)).Pid, Is.EqualTo(quotesPid), "quotes keeps running");
        Assert.That(quotesSession.Watching, Is.True);
    }

    private static Task WaitForLogAsync(ConcurrentQueue<UpEvent> events, string line) =>
        ClusterWaits.ConditionAsync(
            () => Task.FromResult(events.Any(e => e.Kind == UpEventKind.Log && e.Message.Contains(line, StringComparison.Ordinal))),
            TimeSpan.FromSeconds(30),
            () => $"a log line '{line}'; events: {UpAnswers.Describe(events)}");
}
