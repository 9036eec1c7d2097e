using DevSpaces.Core.Connect;
using DevSpaces.Core.Images;
using DevSpaces.Tunnel.Takeover;
using k8s.Models;

namespace DevSpaces.Tests.Connect;

public sealed class AgentManifestsTests
{
    private static readonly V1OwnerReference Owner = new() { ApiVersion = "v1", Kind = "Secret", Name = "devspaces-connect-api", Uid = "u-1" };

    private static V1Container Container() => new()
    {
        Name = "api",
        Ports = [new V1ContainerPort { Name = "http", ContainerPort = 8080 }],
        ReadinessProbe = new V1Probe
        {
            HttpGet = new V1HTTPGetAction { Path = "/healthz", Port = "http", HttpHeaders = [new V1HTTPHeader { Name = "X-Probe", Value = "1" }] },
            InitialDelaySeconds = 1, PeriodSeconds = 3, TimeoutSeconds = 2, FailureThreshold = 4,
        },
        LivenessProbe = new V1Probe { TcpSocket = new V1TCPSocketAction { Port = "9090" }, PeriodSeconds = 10 },
        StartupProbe = new V1Probe { Exec = new V1ExecAction { Command = ["cat", "/tmp/started"] } },
    };

    private static TakeoverPlan Plan(V1Container container) => new(
        "dev",
        new V1Service { Metadata = new V1ObjectMeta { Name = "api-svc" }, Spec = new V1ServiceSpec { Selector = new Dictionary<string, string> { ["app"] = "api" } } },
        new Workload(TakeoverNames.DeploymentKind, new V1ObjectMeta { Name = "api" }, 2, new V1PodTemplateSpec { Spec = new V1PodSpec { Containers = [container] } }),
        container,
        [new TakeoverPort("http", 80, 8080, "http")]);

    private static V1Container Agent(TakeoverPlan plan) =>
        AgentManifests.AgentDeployment(plan, "s1", new ImageDeliveryResult("devspaces/agent:ds-1", Pushed: false), new AgentSettings(), Owner).Spec.Template.Spec.Containers.Single();

    private static string Env(V1Container container, string name) => container.Env.Single(e => e.Name == name).Value;

    [Test]
    public void By_Default_The_Agent_Answers_Its_Own_Probes()
    {
        var agent = Agent(Plan(Container()));
        Assert.Multiple(() =>
        {
            Assert.That(agent.ReadinessProbe.HttpGet.Port.Value, Is.EqualTo(TakeoverNames.HealthPort.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(agent.LivenessProbe.HttpGet.Port.Value, Is.EqualTo(TakeoverNames.HealthPort.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(agent.StartupProbe, Is.Null);
            Assert.That(Env(agent, "DEVSPACES_PORTS"), Is.EqualTo("8080"), "only the Service's target ports");
        });
    }

    [Test]
    public void Forwarded_Probes_Keep_Their_Settings_Aim_At_Port_Numbers_The_Agent_Listens_On_And_Exec_Probes_Are_Dropped_With_A_Warning()
    {
        var plan = Plan(Container()) with { ForwardProbes = true };
        var agent = Agent(plan);
        var warnings = ForwardedProbes.From(plan.Container).Warnings;
        Assert.Multiple(() =>
        {
            Assert.That(agent.ReadinessProbe.HttpGet.Path, Is.EqualTo("/healthz"));
            Assert.That(agent.ReadinessProbe.HttpGet.Port.Value, Is.EqualTo("8080"), "the named port resolved to its number");
            Assert.That(agent.ReadinessProbe.HttpGet.HttpHeaders.Single().Name, Is.EqualTo("X-Probe"));
            Assert.That((agent.ReadinessProbe.InitialDelaySeconds, agent.ReadinessProbe.PeriodSeconds, agent.ReadinessProbe.TimeoutSeconds, agent.ReadinessProbe.FailureThreshold), Is.EqualTo((1, 3, 2, 4)));
            Assert.That(agent.LivenessProbe.TcpSocket.Port.Value, Is.EqualTo("9090"));
            Assert.That(agent.LivenessProbe.HttpGet, Is.Null);
            Assert.That(agent.StartupProbe, Is.Null, "an exec probe cannot run against the local process");
            Assert.That(Env(agent, "DEVSPACES_PORTS").Split(','), Is.EquivalentTo(new[] { "8080", "9090" }), "the agent listens on the probes' ports too");
            Assert.That(agent.Ports.Select(p => p.ContainerPort), Does.Contain(9090));
            Assert.That(warnings, Has.Count.EqualTo(1));
            Assert.That(warnings.Single(), Does.Contain("startup").And.Contain("cat /tmp/started"));
        });
    }

    [Test]
    public void A_Probe_On_An_Undeclared_Named_Port_Is_Dropped_With_A_Warning()
    {
        var container = Container();
        container.LivenessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Path = "/live", Port = "admin" } };
        var probes = ForwardedProbes.From(container);
        Assert.That(probes.Liveness, Is.Null);
        Assert.That(probes.Warnings, Has.Some.Contains("'admin'"));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void The_Agent_Pods_Carry_Only_Session_Labels_And_The_Role_May_Switch_That_One_Service_And_Read_Its_Endpoints(bool keepOriginal)
    {
        var plan = Plan(Container()) with { KeepOriginal = keepOriginal };
        var pods = AgentManifests.AgentDeployment(plan, "s1", new ImageDeliveryResult("devspaces/agent:ds-1", Pushed: false), new AgentSettings(), Owner).Spec.Template.Metadata.Labels;
        var rules = AgentManifests.Role(plan, "s1", Owner).Rules;
        var services = rules.Single(r => r.Resources.Contains("services"));
        var endpoints = rules.Single(r => r.Resources.Contains("endpoints"));
        Assert.Multiple(() =>
        {
            Assert.That(pods.ContainsKey("app"), Is.False, "the Service reaches the agent only once its selector is pointed there; other selectors never");
            Assert.That(pods[TakeoverNames.SessionLabel], Is.EqualTo("s1"));
            Assert.That(services.ResourceNames, Is.EqualTo(new[] { "api-svc" }));
            Assert.That(services.Verbs, Is.EquivalentTo(new[] { "get", "patch" }));
            Assert.That((endpoints.ResourceNames, endpoints.Verbs), Is.EqualTo((new[] { "api-svc" }, new[] { "get" })));
        });
    }

    [Test]
    public void A_Record_Keeps_The_Original_Selector_And_An_Older_Record_Without_It_Still_Reads()
    {
        var record = new TakeoverRecord("s1", "me@host", "host", 42, DateTimeOffset.Parse("2026-01-02T03:04:05Z", System.Globalization.CultureInfo.InvariantCulture), "api", 2, "api-svc",
            new Dictionary<string, string> { ["app.kubernetes.io/name"] = "api", ["tier"] = "web" });
        var read = TakeoverRecord.Parse(record.ToJson())!;
        Assert.That(read.ServiceSelector, Is.EquivalentTo(record.ServiceSelector!), "keys are kept as they are, not camel-cased");
        Assert.That(read.KeepOriginal, Is.False);
        Assert.That(TakeoverRecord.Parse((record with { KeepOriginal = true }).ToJson())!.KeepOriginal, Is.True);

        var older = TakeoverRecord.Parse("""{"session":"s0","owner":"me@host","host":"host","processId":1,"startedAt":"2026-01-01T00:00:00+00:00","deployment":"api","replicas":3,"service":"api"}""")!;
        Assert.That((older.Replicas, older.ServiceSelector, older.KeepOriginal), Is.EqualTo((3, (IReadOnlyDictionary<string, string>?)null, false)));
    }

    [Test]
    public void An_Isolated_Session_Lives_In_The_Child_Space_And_Its_Service_Mirrors_The_Parents_Ports_Selecting_Only_The_Agent()
    {
        var plan = Plan(Container()) with { IsolatedIn = "alice" };
        var deployment = AgentManifests.AgentDeployment(plan, "s1", new ImageDeliveryResult("devspaces/agent:ds-1", Pushed: false), new AgentSettings(), Owner);
        var service = AgentManifests.IsolatedService(plan, "s1", Owner);
        var agent = deployment.Spec.Template.Spec.Containers.Single();
        Assert.Multiple(() =>
        {
            Assert.That(deployment.Metadata.NamespaceProperty, Is.EqualTo("alice"));
            Assert.That(deployment.Spec.Template.Metadata.Labels, Does.Not.ContainKey("app"), "the parent's selector labels stay off the agent's pods");
            Assert.That(Env(agent, "DEVSPACES_ISOLATED_SERVICE"), Is.EqualTo("api-svc"));
            Assert.That(AgentManifests.RoleBinding(plan, "s1", Owner).Subjects.Single().NamespaceProperty, Is.EqualTo("alice"));
            Assert.That((service.Metadata.Name, service.Metadata.NamespaceProperty), Is.EqualTo(("api-svc", "alice")));
            Assert.That(service.Metadata.Labels[TakeoverNames.IsolatedLabel], Is.EqualTo("dev"));
            Assert.That(service.Metadata.OwnerReferences.Single().Uid, Is.EqualTo("u-1"), "the session Secret owns it");
            Assert.That(service.Spec.Selector, Is.EquivalentTo(new Dictionary<string, string> { [TakeoverNames.SessionLabel] = "s1" }));
            var port = service.Spec.Ports.Single();
            Assert.That((port.Name, port.Port, port.TargetPort.Value), Is.EqualTo(("http", 80, "8080")), "the router matches the port by name, then number");
        });
    }

    [Test]
    public void An_Isolated_Agents_Role_May_Delete_Its_Own_Service_And_Never_Patch_A_Workload()
    {
        var rules = AgentManifests.Role(Plan(Container()) with { IsolatedIn = "alice" }, "s1", Owner).Rules;
        Assert.Multiple(() =>
        {
            Assert.That(rules.SelectMany(r => r.Verbs), Does.Not.Contain("patch"));
            var services = rules.Single(r => r.Resources.Contains("services"));
            Assert.That((services.ResourceNames.Single(), services.Verbs), Is.EqualTo(("api-svc", new[] { "get", "delete" })));
        });
    }
}
