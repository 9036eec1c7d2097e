using System.Collections.Concurrent;
using DevSpaces.ClusterTests.Connect;
using DevSpaces.ClusterTests.Support;
using DevSpaces.Contracts;
using DevSpaces.Core.Connect;
using DevSpaces.Core.Images;
using DevSpaces.Core.Project;
using DevSpaces.Core.Up;

namespace DevSpaces.ClusterTests.Up;

/// <summary>
/// The deployed sample with its front end <c>up</c> from a folder and its <c>api</c> connected to a local process at
/// the same time: the up front end reaches the local api, syncs and restarts, ending the connect restores <c>api</c>
/// while the up session goes on, and <c>down</c> puts the sample's own front end back.
/// </summary>
public sealed class UpWithConnectTests() : SampleSpaceFixture("up-connect", waitUntilCleanAfterEachTest: false)
{
    [Test]
    public async Task Up_Of_The_Front_End_And_Connect_Of_Api_Work_At_Once_And_Ending_The_Connect_Leaves_The_Up_Session_Running()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        using var docker = DockerEngine.Connect();
        var folder = Path.Combine(Directory.CreateTempSubdirectory("devspaces-up-connect-").FullName, "frontend");
        var events = new ConcurrentQueue<UpEvent>();
        try
        {
            UpSampleTests.CopyFolder(Path.Combine(TestCluster.RepositoryRoot, "samples", "frontend"), folder);
            ProjectPreparer.Prepare(folder, "frontend");
            await using var up = await UpSpace.CreateService(Space.Connection, docker).StartAsync(
                new UpRequest(folder, Space.Namespace, null, true, new Dictionary<string, string> { ["NODE_IMAGE"] = "devspaces.local/node:20" }), events.Enqueue, cts.Token);
            await using var local = LocalHttpServer.AnsweringAsLocalProcess();
            var (connect, connectEvents) = await ConnectAsync(new ConnectRequest(Space.Namespace, "api", local.Port));
            await using (connect)
            {
                await UpAnswers.UntilAsync(up.Url!, "/api/greeting", a => a.Contains("\"local-process\""), events);
                Assert.That(local.Requests, Is.GreaterThan(0), "the up front end's request reached the local process");

                var pid = (await up.GetAppStatusAsync(cts.Token)).Pid;
                var pod = up.Pod;
                File.AppendAllText(Path.Combine(folder, "server.js"), "\n// edited\n");
                await ClusterWaits.ConditionAsync(() => Task.FromResult(events.Any(e => e.Kind == UpEventKind.Restarted)), TimeSpan.FromSeconds(60), () => $"the front end restarts; events: {UpAnswers.Describe(events)}");
                Assert.That((await up.GetAppStatusAsync(cts.Token)).Pid, Is.Not.EqualTo(pid), "the saved change restarted the front end");
                Assert.That(up.Pod, Is.EqualTo(pod));
                await UpAnswers.UntilAsync(up.Url!, "/api/greeting", a => a.Contains("\"local-process\""), events);
                Assert.That(connectEvents.All.Select(e => e.Kind), Has.None.EqualTo(ConnectEventKind.Restored), "the connect session went on through the restart");
            }

            await ClusterWaits.ConditionAsync(() => Space.IsRestoredAsync("api", 1), TimeSpan.FromSeconds(60), () => "api is restored");
            var running = (await up.GetAppStatusAsync(cts.Token)).Pid;
            await UpAnswers.UntilAsync(up.Url!, "/api/greeting", a => a.Contains("\"api\"") && !a.Contains("\"local-process\""), events);
            Assert.That(up.Watching, Is.True, "the up session keeps watching");
            Assert.That((await up.GetAppStatusAsync(cts.Token)).Pid, Is.EqualTo(running), "the front end kept running");

            // down puts the sample's own front end back, and the sample answers through it again.
            await up.DisposeAsync();
            Assert.That(await UpSpace.CreateService(Space.Connection, docker).DownAsync(folder, Space.Namespace, cts.Token), Does.Contain("restored Deployment/frontend"));
            await ClusterWaits.DeploymentReadyAsync(Space.Client, Space.Namespace, "frontend", TimeSpan.FromSeconds(90));
            var (status, body) = await Space.GetServiceAsync("frontend", "/api/greeting");
            Assert.That(status, Is.EqualTo(200), body);
            Assert.That(body, Does.Contain("\"api\"").And.Not.Contain("local-process"));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(folder)!, true);
        }
    }
}
