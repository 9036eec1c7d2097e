using DevSpaces.ClusterTests.Support;
using DevSpaces.Contracts;
using DevSpaces.Core.Connect;
using DevSpaces.Tunnel.Takeover;
using k8s;
using k8s.Models;

namespace DevSpaces.ClusterTests.Connect;

/// <summary><c>--forward-probes</c>: the container's probes reach the local process, so its health decides the agent pod's readiness.</summary>
[TestFixture]
public sealed class ConnectProbeTests() : SampleSpaceFixture("connect-probe")
{
    private async Task<bool?> AgentReadyAsync(string session)
    {
        var pods = await Space.Client.CoreV1.ListNamespacedPodAsync(Space.Namespace, labelSelector: $"{TakeoverNames.SessionLabel}={session}");
        var pod = pods.Items.SingleOrDefault(p => p.Metadata.DeletionTimestamp == null);
        return pod?.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True");
    }

    [Test]
    public async Task Forwarded_Probes_Reach_The_Local_Process_And_Its_Health_Decides_The_Agents_Readiness()
    {
        var healthy = 1;
        var probes = 0;
        await using var local = new LocalHttpServer(request =>
        {
            if (request.Url!.AbsolutePath == "/healthz")
            {
                Interlocked.Increment(ref probes);
                return Task.FromResult(Volatile.Read(ref healthy) == 1 ? (200, "ok") : (503, "paused"));
            }

            return Task.FromResult((200, LocalHttpServer.LocalProcessAnswer));
        });
        var (session, events) = await ConnectAsync(new ConnectRequest(Space.Namespace, "api", local.Port) { ForwardProbes = true });
        await using (session)
        {
            var agent = (await Space.Client.CoreV1.ListNamespacedPodAsync(Space.Namespace, labelSelector: $"{TakeoverNames.SessionLabel}={session.Record.Session}")).Items.Single(p => p.Metadata.DeletionTimestamp == null).Spec.Containers.Single();
            Assert.Multiple(() =>
            {
                Assert.That(agent.ReadinessProbe.HttpGet.Path, Is.EqualTo("/healthz"), "the sample's readiness probe, not the agent's own");
                Assert.That(agent.ReadinessProbe.HttpGet.Port.Value, Is.EqualTo("8080"));
                Assert.That(agent.LivenessProbe.HttpGet.Path, Is.EqualTo("/healthz"));
                Assert.That(events.All.Select(e => e.Kind), Has.None.EqualTo(ConnectEventKind.Warning), "HTTP probes forward without warnings");
            });

            await ClusterWaits.ConditionAsync(() => Task.FromResult(Volatile.Read(ref probes) > 0), TimeSpan.FromSeconds(30), () => "the kubelet's probe reached the local process");
            await ClusterWaits.ConditionAsync(async () => await AgentReadyAsync(session.Record.Session) == true, TimeSpan.FromSeconds(30), () => "the agent pod is ready because the local process answers its probe");
            Assert.That((await Space.ApiAnswerAsync()).GetProperty("hostname").GetString(), Is.EqualTo("local-process"));

            // The local process reports unhealthy: the agent pod leaves the Service's ready endpoints, as the original would.
            Volatile.Write(ref healthy, 0);
            await ClusterWaits.ConditionAsync(async () => await AgentReadyAsync(session.Record.Session) == false, TimeSpan.FromSeconds(40), () => "the agent pod is not ready while the local process answers 503");
            Volatile.Write(ref healthy, 1);
            await ClusterWaits.ConditionAsync(async () => await AgentReadyAsync(session.Record.Session) == true, TimeSpan.FromSeconds(40), () => "the agent pod is ready again once the local process is healthy");
            Assert.That((await Space.ApiAnswerAsync()).GetProperty("hostname").GetString(), Is.EqualTo("local-process"));
        }
    }
}
