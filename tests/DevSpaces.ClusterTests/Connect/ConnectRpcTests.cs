using System.Text.Json;
using DevSpaces.Cli.Daemon;
using DevSpaces.Contracts;
using DevSpaces.Tests.Support;
using k8s;

namespace DevSpaces.ClusterTests.Connect;

/// <summary>connect/start, connect/list and connect/stop through the daemon's RPC surface, with their connect/event notifications.</summary>
[TestFixture]
public sealed class ConnectRpcTests() : SampleSpaceFixture("connect-rpc", waitUntilCleanAfterEachTest: false)
{
    [Test]
    public async Task A_Session_Started_Over_Rpc_Serves_Locally_Reports_Events_And_Stopping_It_Restores()
    {
        using var folder = new TempDirectory();
        try
        {
            await using var daemon = DaemonConnection.Start(new DaemonOptions(null, null, Space.Cluster.KubeconfigPath));
            await daemon.InitializeAsync(folder.Path);
            await using var local = LocalHttpServer.AnsweringAsLocalProcess();

            var info = await daemon.CallAsync<ConnectInfo>("connect/start", new { service = "api", localPort = local.Port, space = Space.Namespace });
            Assert.Multiple(() =>
            {
                Assert.That(info.Service, Is.EqualTo("api"));
                Assert.That(info.Workload, Is.EqualTo(new WorkloadInfo(WorkloadKind.Deployment, "api")));
                Assert.That(info.LocalPort, Is.EqualTo(local.Port));
                Assert.That(info.Environment.Single(e => e.Name == "QUOTES_URL").Value, Does.StartWith("http://127.0.0.1:"));
                Assert.That(info.Endpoints.Select(e => e.Service), Does.Contain("quotes"));
            });
            await daemon.Notifications.WaitForAsync(n => n.Method == "connect/event" && n.Text("kind") == "connected", TimeSpan.FromSeconds(10), "a connected event");
            Assert.That((await Space.ApiAnswerAsync()).GetProperty("hostname").GetString(), Is.EqualTo("local-process"));

            var list = await daemon.CallAsync<ConnectList>("connect/list");
            Assert.That(list.Sessions.Select(s => s.Session), Is.EqualTo(new[] { info.Session }));

            await daemon.CallAsync<JsonElement>("connect/stop", new { session = info.Session });
            Assert.That(await Space.IsRestoredAsync("api", 1), Is.True, "connect/stop restores before it answers");
            await daemon.Notifications.WaitForAsync(n => n.Method == "connect/event" && n.Text("kind") == "restored", TimeSpan.FromSeconds(10), "a restored event");
            Assert.That((await daemon.CallAsync<ConnectList>("connect/list")).Sessions, Is.Empty);
            await daemon.CallAsync<JsonElement>("connect/stop", new { session = info.Session });
        }
        finally
        {
            await Space.WaitUntilCleanAsync("api", TimeSpan.FromSeconds(90));
        }
    }

    [Test]
    public async Task Keep_Original_And_Forward_Probes_Given_Over_Rpc_Reach_The_Cluster_And_Stopping_Puts_The_Selector_Back()
    {
        using var folder = new TempDirectory();
        var selector = (await Space.Client.CoreV1.ReadNamespacedServiceAsync("api", Space.Namespace)).Spec.Selector;
        try
        {
            await using var daemon = DaemonConnection.Start(new DaemonOptions(null, null, Space.Cluster.KubeconfigPath));
            await daemon.InitializeAsync(folder.Path);
            await using var local = LocalHttpServer.AnsweringAsLocalProcess();

            var info = await daemon.CallAsync<ConnectInfo>("connect/start", new { service = "api", localPort = local.Port, space = Space.Namespace, keepOriginal = true, forwardProbes = true });
            var service = await Space.Client.CoreV1.ReadNamespacedServiceAsync("api", Space.Namespace);
            var deployment = await Space.Client.AppsV1.ReadNamespacedDeploymentAsync("api", Space.Namespace);
            var agent = (await Space.Client.AppsV1.ReadNamespacedDeploymentAsync(Tunnel.Takeover.TakeoverNames.Agent("api"), Space.Namespace)).Spec.Template.Spec.Containers.Single();
            Assert.Multiple(() =>
            {
                Assert.That(service.Spec.Selector, Is.EquivalentTo(new Dictionary<string, string> { [Tunnel.Takeover.TakeoverNames.SessionLabel] = info.Session }), "keepOriginal: the Service points at the agent");
                Assert.That(deployment.Spec.Replicas, Is.EqualTo(1), "keepOriginal: the original keeps its replicas");
                Assert.That(agent.ReadinessProbe.HttpGet.Path, Is.EqualTo("/healthz"), "forwardProbes: the agent has the container's probe");
            });

            await daemon.CallAsync<JsonElement>("connect/stop", new { session = info.Session });
            var after = await Space.Client.CoreV1.ReadNamespacedServiceAsync("api", Space.Namespace);
            Assert.That(after.Spec.Selector, Is.EquivalentTo(selector), "connect/stop put the selector back before it answered");
            Assert.That(after.Metadata.Annotations?.ContainsKey(Tunnel.Takeover.TakeoverNames.RecordAnnotation) ?? false, Is.False);
        }
        finally
        {
            await Space.WaitUntilCleanAsync("api", TimeSpan.FromSeconds(90));
        }
    }
}
