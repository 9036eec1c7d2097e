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
/// Services whose pods come from a StatefulSet, from several workloads, or that have UDP ports: a StatefulSet is
/// taken over like a Deployment, several workloads are refused by name, and UDP ports are warned about.
/// </summary>
[TestFixture]
public sealed class ConnectWorkloadKindsTests() : SampleSpaceFixture("connect-kinds")
{
    private const string StatefulSet = "api-sts";

    /// <summary>A StatefulSet running the sample's API, with its own Service.</summary>
    protected override async Task AfterDeployAsync()
    {
        var api = await Space.Client.AppsV1.ReadNamespacedDeploymentAsync("api", Space.Namespace);
        var template = api.Spec.Template;
        template.Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = StatefulSet } };
        await Space.Client.AppsV1.CreateNamespacedStatefulSetAsync(new V1StatefulSet
        {
            Metadata = new V1ObjectMeta { Name = StatefulSet },
            Spec = new V1StatefulSetSpec
            {
                ServiceName = StatefulSet,
                Replicas = 1,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = StatefulSet } },
                Template = template,
            },
        }, Space.Namespace);
        await CreateServiceAsync(StatefulSet, new() { ["app"] = StatefulSet }, [new V1ServicePort { Name = "http", Port = 80, TargetPort = "http" }]);
        await StatefulSetReadyAsync(1);
    }

    protected override async Task AfterCleanAsync()
    {
        List<string> left = [];
        await ClusterWaits.ConditionAsync(async () => (left = await Space.LeftoversAsync(StatefulSet)).Count == 0, TimeSpan.FromSeconds(90), () => $"the connect objects of {StatefulSet} are gone; still there: {string.Join(", ", left)}");
        await StatefulSetReadyAsync(1);
    }

    private Task CreateServiceAsync(string name, Dictionary<string, string> selector, List<V1ServicePort> ports) =>
        Space.Client.CoreV1.CreateNamespacedServiceAsync(new V1Service { Metadata = new V1ObjectMeta { Name = name }, Spec = new V1ServiceSpec { Selector = selector, Ports = ports } }, Space.Namespace);

    private async Task<V1StatefulSet> ReadStatefulSetAsync() => await Space.Client.AppsV1.ReadNamespacedStatefulSetAsync(StatefulSet, Space.Namespace);

    private Task StatefulSetReadyAsync(int replicas)
    {
        V1StatefulSet? last = null;
        return ClusterWaits.ConditionAsync(
            async () => (last = await ReadStatefulSetAsync()).Spec.Replicas == replicas && (last.Status?.ReadyReplicas ?? 0) == replicas && (last.Status?.Replicas ?? 0) == replicas,
            TimeSpan.FromSeconds(120),
            () => $"statefulset {StatefulSet} runs {replicas} ready replicas (spec {last?.Spec.Replicas}, ready {last?.Status?.ReadyReplicas}, current {last?.Status?.Replicas})");
    }

    private async Task<string> AnswerOfAsync(string service, string expected)
    {
        var ip = (await Space.Client.CoreV1.ReadNamespacedServiceAsync(service, Space.Namespace)).Spec.ClusterIP;
        var last = "";
        await ClusterWaits.ConditionAsync(async () =>
        {
            try
            {
                using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
                last = await http.GetStringAsync($"http://{ip}/greeting");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = e.Message;
            }

            return last.Contains(expected, StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(40), () => $"service {service} answers with '{expected}' (last: {last})");
        return last;
    }

    [Test]
    public async Task A_StatefulSet_Is_Recorded_Scaled_To_0_Served_Locally_And_Restored()
    {
        await using var local = LocalHttpServer.AnsweringAsLocalProcess();
        var (session, events) = await ConnectAsync(new ConnectRequest(Space.Namespace, StatefulSet, local.Port));
        await using (session)
        {
            var during = await ReadStatefulSetAsync();
            var role = await Space.Client.RbacAuthorizationV1.ReadNamespacedRoleAsync(TakeoverNames.AgentAccess(StatefulSet, session.Record.Session), Space.Namespace);
            Assert.Multiple(() =>
            {
                Assert.That(session.Plan.Workload.Kind, Is.EqualTo(TakeoverNames.StatefulSetKind));
                Assert.That(during.Spec.Replicas, Is.Zero, "the StatefulSet's replicas are scaled away");
                Assert.That(TakeoverRecord.Parse(during.Metadata.Annotations[TakeoverNames.RecordAnnotation])?.Replicas, Is.EqualTo(1), "the original replicas are recorded on the StatefulSet");
                Assert.That(role.Rules.Single(r => r.Resources.Contains("statefulsets")).ResourceNames, Is.EqualTo(new[] { StatefulSet }), "the agent may get and patch that StatefulSet only");
            });
            await AnswerOfAsync(StatefulSet, "local-process");
        }

        Assert.That(events.All.Last().Message, Does.Contain($"statefulset {StatefulSet} scaled back to 1"), events.Describe());
        var after = await ReadStatefulSetAsync();
        Assert.That(after.Spec.Replicas, Is.EqualTo(1));
        Assert.That(after.Metadata.Annotations?.ContainsKey(TakeoverNames.RecordAnnotation) ?? false, Is.False);
        await StatefulSetReadyAsync(1);
        Assert.That(await AnswerOfAsync(StatefulSet, StatefulSet + "-0"), Does.Contain(StatefulSet + "-0"), "the StatefulSet's own pod serves again");
    }

    [Test]
    public async Task Killing_The_Connect_Command_Restores_A_StatefulSet_Within_30_Seconds_With_The_Agents_Role()
    {
        using var command = new ConnectCommandProcess(Space.Cluster.KubeconfigPath, ["connect", StatefulSet, "--local-port", LocalHttpServer.FreePort().ToString(CultureInfo.InvariantCulture), "--space", Space.Namespace]);
        await command.WaitForOutputAsync("press Ctrl-C", TimeSpan.FromMinutes(3));
        Assert.That((await ReadStatefulSetAsync()).Spec.Replicas, Is.Zero, "taken over while the command runs");

        await command.KillAndWaitUntilRestoredAsync(async () =>
        {
            var set = await ReadStatefulSetAsync();
            return set.Spec.Replicas == 1 && set.Metadata.Annotations?.ContainsKey(TakeoverNames.RecordAnnotation) != true;
        }, ConnectCommandProcess.RestoredAfterKill, $"statefulset {StatefulSet}");

        List<string> left = [];
        await ClusterWaits.ConditionAsync(async () => (left = await Space.LeftoversAsync(StatefulSet)).Count == 0, TimeSpan.FromSeconds(60), () => $"nothing of the session is left; still there: {string.Join(", ", left)}");
        Assert.That(await Space.LeftoversAsync(StatefulSet), Is.Empty);
    }

    [Test]
    public async Task A_Service_Over_Several_Workloads_Is_Refused_Naming_Each_And_Nothing_Changes()
    {
        var labels = new Dictionary<string, string> { ["app"] = "twin" };
        var template = new V1PodTemplateSpec
        {
            Metadata = new V1ObjectMeta { Labels = labels },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = "devspaces-sample/api:dev", Ports = [new V1ContainerPort { Name = "http", ContainerPort = 8080 }] }] },
        };
        await Space.Client.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "twin-a" },
            Spec = new V1DeploymentSpec { Replicas = 0, Selector = new V1LabelSelector { MatchLabels = labels }, Template = template },
        }, Space.Namespace);
        await Space.Client.AppsV1.CreateNamespacedStatefulSetAsync(new V1StatefulSet
        {
            Metadata = new V1ObjectMeta { Name = "twin-b" },
            Spec = new V1StatefulSetSpec { ServiceName = "twin", Replicas = 0, Selector = new V1LabelSelector { MatchLabels = labels }, Template = template },
        }, Space.Namespace);
        await CreateServiceAsync("twin", labels, [new V1ServicePort { Name = "http", Port = 80, TargetPort = "http" }]);

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var error = Assert.ThrowsAsync<DevSpacesException>(async () =>
        {
            await using var session = await Space.CreateService(Log).ConnectAsync(new ConnectRequest(Space.Namespace, "twin", LocalHttpServer.FreePort()), _ => { }, timeout.Token);
        });
        Assert.That(error!.ErrorCode, Is.EqualTo(RpcErrorCode.ConnectTargetInvalid));
        Assert.That(error.Message, Does.Contain("deployment/twin-a").And.Contain("statefulset/twin-b"));
        Assert.That(error.Hint, Does.Contain("one of them"));

        var a = await Space.Client.AppsV1.ReadNamespacedDeploymentAsync("twin-a", Space.Namespace);
        var b = await Space.Client.AppsV1.ReadNamespacedStatefulSetAsync("twin-b", Space.Namespace);
        Assert.That(a.Metadata.Annotations?.ContainsKey(TakeoverNames.RecordAnnotation) ?? false, Is.False, "nothing was recorded");
        Assert.That(b.Metadata.Annotations?.ContainsKey(TakeoverNames.RecordAnnotation) ?? false, Is.False, "nothing was recorded");
    }

    [Test]
    public async Task Udp_Ports_Are_Warned_About_And_A_Udp_Only_Service_Is_Refused()
    {
        var api = new Dictionary<string, string> { ["app.kubernetes.io/name"] = "api" };
        await CreateServiceAsync("api-mixed", api, [new V1ServicePort { Name = "http", Port = 80, TargetPort = "http" }, new V1ServicePort { Name = "stats", Port = 8125, Protocol = "UDP", TargetPort = 8125 }]);
        await CreateServiceAsync("api-udp", api, [new V1ServicePort { Name = "stats", Port = 8125, Protocol = "UDP", TargetPort = 8125 }]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var takeover = new ServiceTakeover(Space.Connection);

        var mixed = await takeover.PlanAsync(Space.Namespace, "api-mixed", null, timeout.Token);
        Assert.That(mixed.Ports.Select(p => p.ServicePort), Is.EqualTo(new[] { 80 }), "the TCP port is carried");
        Assert.That(mixed.Warnings, Has.Count.EqualTo(1));
        Assert.That(mixed.Warnings[0], Does.Contain("8125/UDP").And.Contain("not carried"));

        var error = Assert.ThrowsAsync<DevSpacesException>(() => takeover.PlanAsync(Space.Namespace, "api-udp", null, timeout.Token));
        Assert.That(error!.ErrorCode, Is.EqualTo(RpcErrorCode.ConnectTargetInvalid));
        Assert.That(error.Message, Does.Contain("8125/UDP").And.Contain("TCP only"));
    }
}
