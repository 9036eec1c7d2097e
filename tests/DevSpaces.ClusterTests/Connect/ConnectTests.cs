using System.Net;
using System.Text.Json;
using DevSpaces.ClusterTests.Support;
using DevSpaces.Contracts;
using DevSpaces.Core.Connect;
using DevSpaces.Core.Errors;
using DevSpaces.Tunnel.Takeover;
using k8s;
using k8s.Models;

namespace DevSpaces.ClusterTests.Connect;

/// <summary>
/// The sample app's API replaced by a local process: the front end's answers come from this machine, the local
/// process reaches the Java service through its environment, and the cluster is restored exactly afterwards.
/// </summary>
[TestFixture]
public sealed class ConnectTests() : SampleSpaceFixture("connect")
{
    private Dictionary<string, string> containerEnvironment = null!;
    private V1Deployment original = null!;

    protected override async Task AfterDeployAsync()
    {
        original = await Space.Client.AppsV1.ReadNamespacedDeploymentAsync("api", Space.Namespace);
        var pod = (await Space.Client.CoreV1.ListNamespacedPodAsync(Space.Namespace, labelSelector: "app.kubernetes.io/name=api")).Items.Single();
        var env = await PodCommands.ExecAsync(Space.Client, Space.Namespace, pod.Metadata.Name, "api", ["env"], TimeSpan.FromSeconds(30));
        Assert.That(env.ExitCode, Is.Zero, env.StandardError);
        containerEnvironment = env.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
    }

    private Task<(ConnectSession Session, EventRecorder Events)> ConnectAsync(int localPort, string service = "api") =>
        ConnectAsync(new ConnectRequest(Space.Namespace, service, localPort));

    private static LocalHttpServer LocalApi(Func<IReadOnlyDictionary<string, string>> environment) => new(async request =>
    {
        if (request.Url!.AbsolutePath != "/greeting")
        {
            return (200, """{"status":"ok"}""");
        }

        // The local process finds the Java service by the URL in its environment, as the real API does.
        var quotesUrl = environment()["QUOTES_URL"];
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        var quote = await http.GetStringAsync($"{quotesUrl}/quote");
        return (200, JsonSerializer.Serialize(new { service = "api", hostname = "local-process", quotesUrl, quotes = JsonDocument.Parse(quote).RootElement }));
    });

    [Test]
    public async Task Requests_To_The_Service_Are_Served_By_The_Local_Process_Which_Reaches_The_Java_Service_By_Its_Environment()
    {
        ConnectSession? session = null;
        await using var local = LocalApi(() => session!.Environment);
        (session, var events) = await ConnectAsync(local.Port);
        await using (session)
        {
            var api = await Space.ApiAnswerAsync();
            Assert.Multiple(() =>
            {
                Assert.That(api.GetProperty("hostname").GetString(), Is.EqualTo("local-process"), "the front end's answer should come from the local process");
                Assert.That(api.GetProperty("quotesUrl").GetString(), Does.StartWith("http://127.0.0.1:"), "QUOTES_URL should point at the local endpoint");
                Assert.That(api.GetProperty("quotes").GetProperty("hostname").GetString(), Does.StartWith("quotes-"), "the quote should come from the Java service's pod");
                Assert.That(api.GetProperty("quotes").GetProperty("quote").GetProperty("text").GetString(), Is.Not.Empty);
                Assert.That(local.Requests, Is.GreaterThanOrEqualTo(1));
                Assert.That(events.All.Select(e => e.Kind), Does.Contain(ConnectEventKind.Connected));
            });

            var agents = await Space.Client.CoreV1.ListNamespacedPodAsync(Space.Namespace, labelSelector: $"{TakeoverNames.SessionLabel}={session.Record.Session}");
            var container = agents.Items.First(p => p.Metadata.DeletionTimestamp == null).Spec.Containers.Single();
            Assert.Multiple(() =>
            {
                Assert.That(container.SecurityContext.RunAsNonRoot, Is.True, "the agent runs as non-root");
                Assert.That(container.SecurityContext.AllowPrivilegeEscalation, Is.False);
                Assert.That(container.SecurityContext.Capabilities.Drop, Is.EquivalentTo(new[] { "ALL" }));
                Assert.That(container.SecurityContext.Capabilities.Add, Is.Null.Or.Empty, "no added capabilities");
                Assert.That(container.Env.Any(e => e.Name == "DEVSPACES_SESSION_KEY" && e.Value == null && e.ValueFrom?.SecretKeyRef != null), Is.True, "the key comes from the Secret, not the pod spec");
            });
        }

        Assert.That(events.All.Select(e => e.Kind), Does.Contain(ConnectEventKind.Restored));
    }

    [Test]
    public async Task The_Local_Environment_Matches_The_Container_With_Services_Pointing_At_Local_Endpoints()
    {
        var (session, _) = await ConnectAsync(LocalHttpServer.FreePort());
        await using (session)
        {
            var env = session.Environment;
            var quotes = session.Endpoints.Single(e => e.Service == "quotes");
            Assert.Multiple(() =>
            {
                Assert.That(env["PORT"], Is.EqualTo(containerEnvironment["PORT"]));
                Assert.That(env["POD_NAMESPACE"], Is.EqualTo(containerEnvironment["POD_NAMESPACE"]));
                Assert.That(containerEnvironment["QUOTES_URL"], Is.EqualTo("http://quotes"));
                Assert.That(env["QUOTES_URL"], Is.EqualTo($"http://127.0.0.1:{quotes.LocalPort}"));

                // Kubernetes' service variables: the same names as in the container (without the API server's own), local values.
                static bool IsServiceVariable(string name) =>
                    !name.StartsWith("KUBERNETES_", StringComparison.Ordinal)
                    && (name.EndsWith("_SERVICE_HOST", StringComparison.Ordinal) || name.Contains("_SERVICE_PORT", StringComparison.Ordinal));
                Assert.That(env.Keys.Where(IsServiceVariable), Is.EquivalentTo(containerEnvironment.Keys.Where(IsServiceVariable)));
                Assert.That(env["QUOTES_SERVICE_HOST"], Is.EqualTo("127.0.0.1"));
                Assert.That(env["QUOTES_SERVICE_PORT"], Is.EqualTo(quotes.LocalPort.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                Assert.That(env["API_SERVICE_PORT"], Is.EqualTo(session.LocalPort.ToString(System.Globalization.CultureInfo.InvariantCulture)), "the connected service is the local process itself");
            });

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
            var answer = await http.GetStringAsync($"http://{env["QUOTES_SERVICE_HOST"]}:{env["QUOTES_SERVICE_PORT"]}/quote");
            Assert.That(JsonDocument.Parse(answer).RootElement.GetProperty("service").GetString(), Is.EqualTo("quotes"));
        }
    }

    [Test]
    public async Task A_Request_While_Nothing_Listens_Locally_Gets_A_502_Text_And_The_Session_Reports_It()
    {
        var port = LocalHttpServer.FreePort();
        var (session, events) = await ConnectAsync(port);
        await using (session)
        {
            var (status, body) = await Space.GetServiceAsync("api", "/greeting");
            Assert.That(status, Is.EqualTo(502));
            Assert.That(body, Does.Contain($"localhost:{port}").And.Contain("nothing listens"));
            var reported = await events.WaitForAsync(ConnectEventKind.LocalPortNotListening, TimeSpan.FromSeconds(10));
            Assert.That(reported.Message, Does.Contain(port.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    [Test]
    public async Task Connecting_A_Service_That_Is_Already_Connected_Is_Refused_With_Who_And_Since_When()
    {
        var (session, _) = await ConnectAsync(LocalHttpServer.FreePort());
        await using (session)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            var error = Assert.ThrowsAsync<DevSpacesException>(() =>
                Space.CreateService(Log).ConnectAsync(new ConnectRequest(Space.Namespace, "api", LocalHttpServer.FreePort()), _ => { }, timeout.Token));
            Assert.That(error!.ErrorCode, Is.EqualTo(RpcErrorCode.AlreadyConnected));
            Assert.That(error.Message, Does.Contain(session.Record.Owner).And.Contain(session.Record.StartedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture)));

            // The refused attempt changed nothing: the first session still serves.
            Assert.That((await Space.Client.AppsV1.ReadNamespacedDeploymentAsync("api", Space.Namespace)).Metadata.Annotations[TakeoverNames.RecordAnnotation], Does.Contain(session.Record.Session));
        }
    }

    [Test]
    public async Task Disconnecting_Restores_The_Workload_Exactly_And_Restoring_Again_Changes_Nothing()
    {
        var before = await Space.Client.AppsV1.ReadNamespacedDeploymentAsync("api", Space.Namespace);
        var (session, _) = await ConnectAsync(LocalHttpServer.FreePort());
        var during = await Space.Client.AppsV1.ReadNamespacedDeploymentAsync("api", Space.Namespace);
        Assert.That(during.Spec.Replicas, Is.Zero, "the original replicas are scaled away while connected");
        Assert.That(TakeoverRecord.Parse(during.Metadata.Annotations[TakeoverNames.RecordAnnotation])!.Replicas, Is.EqualTo(before.Spec.Replicas));
        await session.DisposeAsync();

        var after = await Space.Client.AppsV1.ReadNamespacedDeploymentAsync("api", Space.Namespace);
        Assert.Multiple(() =>
        {
            Assert.That(after.Spec.Replicas, Is.EqualTo(before.Spec.Replicas));
            Assert.That(KubernetesJson.Serialize(after.Spec.Template), Is.EqualTo(KubernetesJson.Serialize(before.Spec.Template)), "the pod template is untouched");
            Assert.That(KubernetesJson.Serialize(after.Spec.Selector), Is.EqualTo(KubernetesJson.Serialize(before.Spec.Selector)));
            Assert.That(after.Metadata.Annotations.Keys, Is.EquivalentTo(before.Metadata.Annotations.Keys));
            Assert.That(after.Metadata.Labels, Is.EquivalentTo(before.Metadata.Labels));
        });

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var again = await new ServiceTakeover(Space.Connection).RestoreAsync(Space.Namespace, "api", session.Record.Session, timeout.Token);
        Assert.That(again, Is.Empty, "a second restore finds nothing to do");
        var afterAgain = await Space.Client.AppsV1.ReadNamespacedDeploymentAsync("api", Space.Namespace);
        Assert.That(afterAgain.Metadata.Generation, Is.EqualTo(after.Metadata.Generation), "a second restore does not change the workload");
        Assert.That(afterAgain.Spec.Replicas, Is.EqualTo(before.Spec.Replicas));
    }

    /// <summary>Five rounds in one session: each deletion is reported, the session reconnects and the local process serves again.</summary>
    [TestCase(null, TestName = "Deleting_The_Agent_Pod_Five_Times_Is_Reported_And_The_Session_Reconnects_And_Keeps_Serving")]
    [TestCase(0, TestName = "Force_Deleting_The_Agent_Pod_Five_Times_Is_Reported_And_The_Session_Reconnects_And_Keeps_Serving")]
    public async Task Deleting_The_Agent_Pod_Is_Reported_And_The_Session_Reconnects_And_Keeps_Serving(int? gracePeriodSeconds)
    {
        ConnectSession? session = null;
        await using var local = LocalApi(() => session!.Environment);
        (session, var events) = await ConnectAsync(local.Port);
        await using (session)
        {
            Assert.That((await Space.ApiAnswerAsync()).GetProperty("hostname").GetString(), Is.EqualTo("local-process"));
            for (var round = 1; round <= 5; round++)
            {
                var agent = await CurrentAgentPodAsync(session);
                var seen = events.All.Count;
                var served = local.Requests;
                await Space.Client.CoreV1.DeleteNamespacedPodAsync(agent.Metadata.Name, Space.Namespace, gracePeriodSeconds is { } grace ? new V1DeleteOptions { GracePeriodSeconds = grace } : null);

                await events.WaitForAsync(ConnectEventKind.TunnelLost, TimeSpan.FromSeconds(30), seen);
                var reconnected = await events.WaitForAsync(ConnectEventKind.Reconnected, TimeSpan.FromSeconds(90), seen);
                Assert.That(reconnected.Message, Does.Not.Contain(agent.Metadata.Name), $"round {round}: the session reconnected to the replacement pod, not to the deleted {agent.Metadata.Name}");
                await ClusterWaits.EndpointsReadyAsync(Space.Client, Space.Namespace, "api", TimeSpan.FromSeconds(30));
                Assert.That((await Space.ApiAnswerAsync()).GetProperty("hostname").GetString(), Is.EqualTo("local-process"), $"round {round}: served locally again after the agent pod was replaced");
                Assert.That(local.Requests, Is.GreaterThan(served), $"round {round}: the local process got the request");
                Assert.That(await Space.IsRestoredAsync("api", 1), Is.False, $"round {round}: the workload stays taken over while the session recovers");
                Assert.That(events.All.Skip(seen).Select(e => e.Kind), Has.None.EqualTo(ConnectEventKind.Restored), $"round {round}: the session did not end:\n{events.Describe()}");
                TestContext.Progress.WriteLine($"round {round}: agent pod {agent.Metadata.Name} deleted (grace {gracePeriodSeconds?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "default"}); reconnected and served locally");
            }
        }
    }

    private async Task<V1Pod> CurrentAgentPodAsync(ConnectSession session)
    {
        V1Pod? pod = null;
        await ClusterWaits.ConditionAsync(async () =>
        {
            var pods = (await Space.Client.CoreV1.ListNamespacedPodAsync(Space.Namespace, labelSelector: $"{TakeoverNames.SessionLabel}={session.Record.Session}")).Items;
            pod = pods.SingleOrDefault(p => p.Metadata.DeletionTimestamp == null && p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true);
            return pod != null;
        }, TimeSpan.FromSeconds(60), () => $"one ready agent pod of session {session.Record.Session}");
        return pod!;
    }

    [Test]
    public async Task Remains_Of_A_Crashed_Session_Are_Cleaned_By_The_Next_Connect()
    {
        // A takeover whose daemon process is gone and whose agent never ran: what a crash leaves when the agent cannot help.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var takeover = new ServiceTakeover(Space.Connection);
        var plan = await takeover.PlanAsync(Space.Namespace, "api", null, timeout.Token);
        var record = await takeover.ApplyAsync(plan, "crashed00001", Tunnel.TunnelHandshake.NewKey(), new DevSpaces.Core.Images.ImageDeliveryResult("devspaces/agent:never-built", Pushed: false), Space.Settings, timeout.Token);
        var dead = System.Diagnostics.Process.Start("true")!;
        await dead.WaitForExitAsync(timeout.Token);
        var stale = record with { ProcessId = dead.Id };
        var patch = new System.Text.Json.Nodes.JsonObject { ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["annotations"] = new System.Text.Json.Nodes.JsonObject { [TakeoverNames.RecordAnnotation] = stale.ToJson() } } };
        await Space.Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), "api", Space.Namespace, cancellationToken: timeout.Token);

        ConnectSession? session = null;
        await using var local = LocalApi(() => session!.Environment);
        (session, var events) = await ConnectAsync(local.Port);
        await using (session)
        {
            var cleaned = events.All.Single(e => e.Kind == ConnectEventKind.Cleaned);
            // Make-before-break scales the original down only once the agent is ready, so a crash before that leaves it running.
            Assert.That(cleaned.Message, Does.Contain("removed the record from deployment api").And.Contain("deleted agent deployment api-devspaces-agent"));
            Assert.That(session.Record.Replicas, Is.EqualTo(1), "the new record holds the original replicas, not the crashed session's 0");
            Assert.That((await Space.ApiAnswerAsync()).GetProperty("hostname").GetString(), Is.EqualTo("local-process"));
        }
    }
}
