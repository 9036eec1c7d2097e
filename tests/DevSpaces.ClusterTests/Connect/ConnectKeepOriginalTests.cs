using System.Diagnostics;
using System.Globalization;
using DevSpaces.ClusterTests.Support;
using DevSpaces.Contracts;
using DevSpaces.Core.Connect;
using DevSpaces.Core.Errors;
using DevSpaces.Tunnel.Takeover;
using k8s;
using k8s.Models;

namespace DevSpaces.ClusterTests.Connect;

/// <summary>
/// Connecting next to the original (<c>--keep-original</c>): the original pods keep running, only the Service's
/// selector points at the agent, and the selector comes back exactly after disconnect and after <c>kill -9</c>.
/// </summary>
[TestFixture]
public sealed class ConnectKeepOriginalTests() : SampleSpaceFixture("connect-keep")
{
    private V1Service originalService = null!;

    protected override async Task AfterDeployAsync() =>
        originalService = await Space.Client.CoreV1.ReadNamespacedServiceAsync("api", Space.Namespace);

    protected override Task AfterCleanAsync() => AssertSelectorIsTheOriginalAsync();

    private async Task AssertSelectorIsTheOriginalAsync()
    {
        var now = await Space.Client.CoreV1.ReadNamespacedServiceAsync("api", Space.Namespace);
        Assert.Multiple(() =>
        {
            Assert.That(now.Spec.Selector, Is.EquivalentTo(originalService.Spec.Selector), "the Service selects exactly what it selected before");
            Assert.That(now.Metadata.Annotations?.Keys ?? [], Is.EquivalentTo(originalService.Metadata.Annotations?.Keys ?? []), "no annotation of ours is left on the Service");
        });
    }

    private async Task<List<string>> OriginalPodsAsync()
    {
        var selector = string.Join(",", originalService.Spec.Selector.Select(p => $"{p.Key}={p.Value}"));
        var pods = await Space.Client.CoreV1.ListNamespacedPodAsync(Space.Namespace, labelSelector: selector);
        return [.. pods.Items.Where(p => p.Metadata.DeletionTimestamp == null && p.Status?.Phase == "Running").Select(p => p.Metadata.Name).Order(StringComparer.Ordinal)];
    }

    [Test]
    public async Task The_Original_Pods_Keep_Running_While_The_Service_Is_Served_Locally_And_The_Selector_Comes_Back_Exactly()
    {
        var podsBefore = await OriginalPodsAsync();
        Assert.That(podsBefore, Is.Not.Empty, "the sample's api runs");
        var deploymentBefore = await Space.Client.AppsV1.ReadNamespacedDeploymentAsync("api", Space.Namespace);

        await using var local = LocalHttpServer.AnsweringAsLocalProcess();
        var events = new EventRecorder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var session = await Space.CreateService(Log).ConnectAsync(new ConnectRequest(Space.Namespace, "api", local.Port) { KeepOriginal = true }, events.Add, timeout.Token);
        await using (session)
        {
            var service = await Space.Client.CoreV1.ReadNamespacedServiceAsync("api", Space.Namespace);
            var deployment = await Space.Client.AppsV1.ReadNamespacedDeploymentAsync("api", Space.Namespace);
            var onService = TakeoverRecord.Parse(service.Metadata.Annotations[TakeoverNames.RecordAnnotation]);
            Assert.Multiple(() =>
            {
                Assert.That(service.Spec.Selector, Is.EquivalentTo(new Dictionary<string, string> { [TakeoverNames.SessionLabel] = session.Record.Session }), "the Service selects the session's agent pods only");
                Assert.That(onService?.ServiceSelector, Is.EquivalentTo(originalService.Spec.Selector), "the original selector is recorded on the Service");
                Assert.That(onService?.Session, Is.EqualTo(session.Record.Session));
                Assert.That(deployment.Spec.Replicas, Is.EqualTo(deploymentBefore.Spec.Replicas), "the original replicas are not scaled");
            });

            // New connections follow the new selector once kube-proxy applied it; the original pods answer until then
            // (and keep answering connections opened before, which is why the front end is asked only afterwards).
            var ip = service.Spec.ClusterIP;
            var last = "";
            await ClusterWaits.ConditionAsync(async () =>
            {
                using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
                last = await http.GetStringAsync($"http://{ip}/greeting");
                return last.Contains("local-process", StringComparison.Ordinal);
            }, TimeSpan.FromSeconds(30), () => $"a new connection to service api's ClusterIP is served by the local process (last answer: {last})");

            var api = await Space.ApiAnswerAsync();
            Assert.That(api.GetProperty("hostname").GetString(), Is.EqualTo("local-process"), "the front end's answer comes from the local process");
            Assert.That(local.Requests, Is.GreaterThanOrEqualTo(1));
            Assert.That(await OriginalPodsAsync(), Is.EqualTo(podsBefore), "the original pods keep running, untouched");

            var agentPods = await Space.Client.CoreV1.ListNamespacedPodAsync(Space.Namespace, labelSelector: $"{TakeoverNames.SessionLabel}={session.Record.Session}");
            Assert.That(agentPods.Items.SelectMany(p => p.Metadata.Labels.Keys), Has.None.AnyOf(originalService.Spec.Selector.Keys.ToArray()), "the agent's pods do not carry the original's labels, so other selectors keep finding the original");

            // A second connect, in either mode, is refused with who and since when.
            var refused = Assert.ThrowsAsync<DevSpacesException>(async () =>
                await Space.CreateService(Log).ConnectAsync(new ConnectRequest(Space.Namespace, "api", LocalHttpServer.FreePort()), _ => { }, timeout.Token));
            Assert.That(refused!.ErrorCode, Is.EqualTo(RpcErrorCode.AlreadyConnected));
            Assert.That(refused.Message, Does.Contain(session.Record.Owner));
        }

        Assert.That(events.All.Last().Kind, Is.EqualTo(ConnectEventKind.Restored), events.Describe());
        await AssertSelectorIsTheOriginalAsync();
        var after = await Space.Client.AppsV1.ReadNamespacedDeploymentAsync("api", Space.Namespace);
        var podsAfter = await OriginalPodsAsync();
        Assert.Multiple(() =>
        {
            Assert.That(after.Spec.Replicas, Is.EqualTo(deploymentBefore.Spec.Replicas));
            Assert.That(after.Metadata.Annotations?.ContainsKey(TakeoverNames.RecordAnnotation) ?? false, Is.False);
            Assert.That(podsAfter, Is.EqualTo(podsBefore), "the original pods were never replaced");
        });
        Assert.That((await Space.ApiAnswerAsync()).GetProperty("hostname").GetString(), Does.StartWith("api-"), "the original pods serve again");

        var restoredService = await Space.Client.CoreV1.ReadNamespacedServiceAsync("api", Space.Namespace);
        using var again = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var steps = await new ServiceTakeover(Space.Connection).RestoreAsync(Space.Namespace, "api", session.Record.Session, "api", again.Token);
        Assert.That(steps, Is.Empty, "a second restore finds nothing to do");
        Assert.That((await Space.Client.CoreV1.ReadNamespacedServiceAsync("api", Space.Namespace)).Metadata.ResourceVersion, Is.EqualTo(restoredService.Metadata.ResourceVersion), "a second restore does not touch the Service");
    }

    [Test]
    public async Task Killing_The_Connect_Command_Puts_The_Selector_Back_Within_10_Seconds_With_The_Agents_Role()
    {
        var podsBefore = await OriginalPodsAsync();
        using var command = new ConnectCommandProcess(Space.Cluster.KubeconfigPath, ["connect", "api", "--keep-original", "--local-port", LocalHttpServer.FreePort().ToString(CultureInfo.InvariantCulture), "--space", Space.Namespace]);
        await command.WaitForOutputAsync("press Ctrl-C", TimeSpan.FromMinutes(3));
        var during = await Space.Client.CoreV1.ReadNamespacedServiceAsync("api", Space.Namespace);
        Assert.That(during.Spec.Selector.Keys, Is.EqualTo(new[] { TakeoverNames.SessionLabel }), "the Service points at the agent while the command runs");

        await command.KillAndWaitUntilRestoredAsync(async () =>
        {
            var service = await Space.Client.CoreV1.ReadNamespacedServiceAsync("api", Space.Namespace);
            return service.Metadata.Annotations?.ContainsKey(TakeoverNames.RecordAnnotation) != true && service.Spec.Selector.Count == originalService.Spec.Selector.Count
                && originalService.Spec.Selector.All(p => service.Spec.Selector.TryGetValue(p.Key, out var v) && v == p.Value);
        }, TimeSpan.FromSeconds(10), "the selector of service api");

        // The deletes are ours and immediate; the kubelet's removal of the terminated pod is what can take long when the
        // container runtime stalls under load (seen: a container start blocking the kubelet for 60 s).
        await Space.WaitUntilCleanAsync("api", TimeSpan.FromSeconds(120));
        Assert.That(await Space.LeftoversAsync("api"), Is.Empty);
        await AssertSelectorIsTheOriginalAsync();
        Assert.That(await OriginalPodsAsync(), Is.EqualTo(podsBefore), "the original pods kept running throughout");
    }

    [Test]
    public async Task Remains_Of_A_Crashed_Session_Next_To_The_Original_Are_Cleaned_By_The_Next_Connect()
    {
        // A session whose daemon process is gone and whose agent never ran, after it pointed the Service at the agent.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var takeover = new ServiceTakeover(Space.Connection);
        var plan = (await takeover.PlanAsync(Space.Namespace, "api", null, timeout.Token)) with { KeepOriginal = true };
        var record = await takeover.ApplyAsync(plan, "crashed00002", Tunnel.TunnelHandshake.NewKey(), new DevSpaces.Core.Images.ImageDeliveryResult("devspaces/agent:never-built", Pushed: false), Space.Settings, timeout.Token);
        await takeover.PointServiceAtAgentAsync(plan, record, timeout.Token);
        var dead = Process.Start("true")!;
        await dead.WaitForExitAsync(timeout.Token);
        var patch = new System.Text.Json.Nodes.JsonObject { ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["annotations"] = new System.Text.Json.Nodes.JsonObject { [TakeoverNames.RecordAnnotation] = (record with { ProcessId = dead.Id }).ToJson() } } };
        await Space.Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), "api", Space.Namespace, cancellationToken: timeout.Token);
        Assert.That((await Space.Client.CoreV1.ReadNamespacedServiceAsync("api", Space.Namespace)).Spec.Selector.Keys, Is.EqualTo(new[] { TakeoverNames.SessionLabel }), "the crashed session left the Service pointed at its agent");

        await using var local = LocalHttpServer.AnsweringAsLocalProcess();
        var events = new EventRecorder();
        var session = await Space.CreateService(Log).ConnectAsync(new ConnectRequest(Space.Namespace, "api", local.Port), events.Add, timeout.Token);
        await using (session)
        {
            var cleaned = events.All.Single(e => e.Kind == ConnectEventKind.Cleaned);
            Assert.That(cleaned.Message, Does.Contain("service api selects"), "the crashed session's selector was put back first");
            var service = await Space.Client.CoreV1.ReadNamespacedServiceAsync("api", Space.Namespace);
            Assert.That(service.Spec.Selector, Is.EquivalentTo(new Dictionary<string, string> { [TakeoverNames.SessionLabel] = session.Record.Session }), "this session points the Service at its own agent");
            Assert.That(session.Record.KeepOriginal, Is.False);
            Assert.That((await Space.ApiAnswerAsync()).GetProperty("hostname").GetString(), Is.EqualTo("local-process"));
        }
    }

    [Test]
    public async Task A_Replaced_Agent_Pod_Is_Selected_Again_And_The_Session_Keeps_Serving()
    {
        await using var local = LocalHttpServer.AnsweringAsLocalProcess();
        var (session, events) = await ConnectAsync(new ConnectRequest(Space.Namespace, "api", local.Port) { KeepOriginal = true });
        await using (session)
        {
            var selector = $"{TakeoverNames.SessionLabel}={session.Record.Session}";
            var agent = (await Space.Client.CoreV1.ListNamespacedPodAsync(Space.Namespace, labelSelector: selector)).Items.Single(p => p.Metadata.DeletionTimestamp == null);
            var seen = events.All.Count;
            await Space.Client.CoreV1.DeleteNamespacedPodAsync(agent.Metadata.Name, Space.Namespace, new V1DeleteOptions { GracePeriodSeconds = 0 });
            await events.WaitForAsync(ConnectEventKind.TunnelLost, TimeSpan.FromSeconds(30), seen);
            await events.WaitForAsync(ConnectEventKind.Reconnected, TimeSpan.FromSeconds(90), seen);

            var service = await Space.Client.CoreV1.ReadNamespacedServiceAsync("api", Space.Namespace);
            Assert.That(service.Spec.Selector, Is.EquivalentTo(new Dictionary<string, string> { [TakeoverNames.SessionLabel] = session.Record.Session }), "the replacement pod carries the session's label, so the Service needs no change");
            var last = "";
            await ClusterWaits.ConditionAsync(async () =>
            {
                try
                {
                    using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
                    last = await http.GetStringAsync($"http://{service.Spec.ClusterIP}/greeting");
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    last = e.Message;
                }

                return last.Contains("local-process", StringComparison.Ordinal);
            }, TimeSpan.FromSeconds(40), () => $"service api is served locally through the replacement agent pod (last: {last})");
        }
    }
}
