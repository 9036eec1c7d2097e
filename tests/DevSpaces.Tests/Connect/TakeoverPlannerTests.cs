using DevSpaces.Contracts;
using DevSpaces.Core.Connect;
using DevSpaces.Core.Errors;
using DevSpaces.Tunnel.Takeover;
using k8s.Models;

namespace DevSpaces.Tests.Connect;

/// <summary>What a takeover plans for a Service, decided in process from the objects a namespace holds.</summary>
public class TakeoverPlannerTests
{
    private FakeWorkloads cluster = null!;

    [SetUp]
    public void EmptyNamespace() => cluster = new FakeWorkloads();

    private static V1Service Service(string name, Dictionary<string, string>? selector, params V1ServicePort[] ports) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Annotations = new Dictionary<string, string>() },
        Spec = new V1ServiceSpec { Selector = selector, Ports = ports.Length > 0 ? ports : [new V1ServicePort { Name = "http", Port = 80, TargetPort = 8080 }] },
    };

    private static Workload Workload(string kind, string name, Dictionary<string, string> podLabels, params V1Container[] containers) => new(
        kind,
        new V1ObjectMeta { Name = name, ResourceVersion = "7" },
        2,
        new V1PodTemplateSpec
        {
            Metadata = new V1ObjectMeta { Labels = podLabels },
            Spec = new V1PodSpec { Containers = containers.Length > 0 ? containers : [new V1Container { Name = name }] },
        });

    private static Workload Deployment(string name, Dictionary<string, string> podLabels, params V1Container[] containers) =>
        Workload(TakeoverNames.DeploymentKind, name, podLabels, containers);

    private static Dictionary<string, string> Labels(string app) => new() { ["app"] = app };

    private Task<TakeoverPlan> PlanAsync(string service = "api", string? container = null) =>
        new TakeoverPlanner(cluster).PlanAsync("dev", service, container, CancellationToken.None);

    private DevSpacesException? Refused(string service = "api", string? container = null) =>
        Assert.ThrowsAsync<DevSpacesException>(() => PlanAsync(service, container));

    [Test]
    public async Task The_Workload_Whose_Pods_The_Service_Selects_Is_Taken_Its_Agent_Left_Out()
    {
        cluster.Services.Add(Service("api", Labels("api")));
        cluster.Deployments.Add(Deployment("api", new() { ["app"] = "api", ["tier"] = "back" }));
        cluster.Deployments.Add(Deployment("web", Labels("web")));
        var agent = Deployment("api-devspaces-agent", Labels("api"));
        agent.Metadata.Labels = new Dictionary<string, string> { [TakeoverNames.AgentLabel] = "api" };
        cluster.Deployments.Add(agent);

        var plan = await PlanAsync();

        Assert.Multiple(() =>
        {
            Assert.That((plan.Workload.Kind, plan.Workload.Name), Is.EqualTo((TakeoverNames.DeploymentKind, "api")));
            Assert.That(plan.Container.Name, Is.EqualTo("api"));
            Assert.That(plan.Ports, Is.EqualTo(new[] { new TakeoverPort("http", 80, 8080, null) }));
        });
    }

    [Test]
    public async Task A_StatefulSet_Is_Planned_As_What_It_Is()
    {
        cluster.Services.Add(Service("db", Labels("db")));
        cluster.StatefulSets.Add(Workload(TakeoverNames.StatefulSetKind, "db", Labels("db")));

        var plan = await PlanAsync("db");

        Assert.That(plan.Workload.ToInfo(), Is.EqualTo(new WorkloadInfo(WorkloadKind.StatefulSet, "db")));
    }

    [Test]
    public void Several_Workloads_Behind_One_Service_Are_Refused_By_Kind_And_Name()
    {
        cluster.Services.Add(Service("api", Labels("api")));
        cluster.Deployments.Add(Deployment("api-v1", Labels("api")));
        cluster.StatefulSets.Add(Workload(TakeoverNames.StatefulSetKind, "api-v2", Labels("api")));

        var error = Refused();

        Assert.Multiple(() =>
        {
            Assert.That(error?.ErrorCode, Is.EqualTo(RpcErrorCode.ConnectTargetInvalid));
            Assert.That(error?.Message, Does.Contain("deployment/api-v1, statefulset/api-v2"));
        });
    }

    [Test]
    public void Without_The_Right_To_List_StatefulSets_That_Is_Said_Only_When_No_Deployment_Matches()
    {
        cluster.Services.Add(Service("api", Labels("api")));
        cluster.StatefulSetsForbidden = true;

        var error = Refused();

        Assert.That(error?.ErrorCode, Is.EqualTo(RpcErrorCode.Forbidden));
    }

    [Test]
    public async Task Without_The_Right_To_List_StatefulSets_A_Deployment_Is_Still_Planned()
    {
        cluster.Services.Add(Service("api", Labels("api")));
        cluster.Deployments.Add(Deployment("api", Labels("api")));
        cluster.StatefulSetsForbidden = true;

        Assert.That((await PlanAsync()).Workload.Name, Is.EqualTo("api"));
    }

    [Test]
    public void A_Service_Without_A_Selector_Or_A_Matching_Workload_Is_Refused_With_The_Selector()
    {
        cluster.Services.Add(Service("manual", null));
        cluster.Services.Add(Service("api", Labels("api")));

        Assert.Multiple(() =>
        {
            Assert.That(Refused("manual")?.Message, Does.Contain("has no selector"));
            Assert.That(Refused("api")?.Message, Does.Contain("app=api"));
            Assert.That(Refused("missing")?.Message, Does.Contain("no Service 'missing'"));
        });
    }

    [Test]
    public async Task A_Selector_Recorded_By_A_Session_That_Kept_The_Original_Plans_The_Original()
    {
        var service = Service("api", new Dictionary<string, string> { [TakeoverNames.SessionLabel] = "s1" });
        var record = new TakeoverRecord("s1", "me@host", "host", 1, DateTimeOffset.UnixEpoch, "api", 2, "api", Labels("api"));
        service.Metadata.Annotations[TakeoverNames.RecordAnnotation] = record.ToJson();
        cluster.Services.Add(service);
        cluster.Deployments.Add(Deployment("api", Labels("api")));

        Assert.That((await PlanAsync()).Workload.Name, Is.EqualTo("api"));
    }

    [Test]
    public async Task Of_Several_Containers_The_One_Declaring_The_Target_Port_Is_Chosen_And_A_Named_Port_Resolved()
    {
        cluster.Services.Add(Service("api", Labels("api"), new V1ServicePort { Name = "web", Port = 80, TargetPort = "http" }, new V1ServicePort { Name = "dns", Port = 53, Protocol = "UDP" }));
        cluster.Deployments.Add(Deployment(
            "api",
            Labels("api"),
            new V1Container { Name = "proxy", Ports = [new V1ContainerPort { Name = "admin", ContainerPort = 9000 }] },
            new V1Container { Name = "app", Ports = [new V1ContainerPort { Name = "http", ContainerPort = 5000 }] }));

        var plan = await PlanAsync();

        Assert.Multiple(() =>
        {
            Assert.That(plan.Container.Name, Is.EqualTo("app"));
            Assert.That(plan.Ports, Is.EqualTo(new[] { new TakeoverPort("web", 80, 5000, "http") }));
            Assert.That(plan.Warnings, Has.Count.EqualTo(1).And.Some.Contains("53/UDP"), "UDP is not carried, and said so");
        });
    }

    [Test]
    public void Containers_That_Cannot_Be_Told_Apart_Or_A_Missing_One_Offer_The_Choice()
    {
        cluster.Services.Add(Service("api", Labels("api")));
        cluster.Deployments.Add(Deployment("api", Labels("api"), new V1Container { Name = "a" }, new V1Container { Name = "b" }));

        var ambiguous = Refused();
        var missing = Refused(container: "c");

        Assert.Multiple(() =>
        {
            Assert.That(ambiguous?.Message, Does.StartWith("Deployment 'api' has several containers"));
            Assert.That(((ErrorData?)ambiguous?.ErrorData)?.Choices, Is.EqualTo(new[] { "a", "b" }));
            Assert.That(missing?.Message, Does.StartWith("Deployment 'api' has no container 'c'"));
            Assert.That(((ErrorData?)missing?.ErrorData)?.Choices, Is.EqualTo(new[] { "a", "b" }));
        });
    }

    [Test]
    public void A_Named_Target_Port_The_Container_Lacks_Is_Refused()
    {
        cluster.Services.Add(Service("api", Labels("api"), new V1ServicePort { Name = "web", Port = 80, TargetPort = "http" }));
        cluster.Deployments.Add(Deployment("api", Labels("api")));

        Assert.That(Refused()?.Message, Does.Contain("port named 'http'"));
    }

    [Test]
    public async Task A_Service_Fronted_By_The_Router_Is_Planned_By_The_Spec_Routing_Recorded_Not_The_Router()
    {
        var fronted = Service("api", new() { [Core.Routing.RoutingNames.RouterLabel] = "true" }, new V1ServicePort { Name = "http", Port = 80, TargetPort = 9001 });
        fronted.Metadata.Annotations[Core.Routing.RoutingNames.OriginalSpecAnnotation] = k8s.KubernetesJson.Serialize(Service("api", Labels("api")).Spec);
        cluster.Services.Add(fronted);
        cluster.Deployments.Add(Deployment("api", Labels("api")));
        cluster.Deployments.Add(Deployment(Core.Routing.RoutingNames.Router, new() { [Core.Routing.RoutingNames.RouterLabel] = "true" }));

        var plan = await PlanAsync();

        Assert.That((plan.Workload.Name, plan.Ports.Single().TargetPort), Is.EqualTo(("api", 8080)));
    }

    /// <summary>A namespace's Services and workloads in memory.</summary>
    private sealed class FakeWorkloads : IWorkloadReader
    {
        public List<V1Service> Services { get; } = [];

        public List<Workload> Deployments { get; } = [];

        public List<Workload> StatefulSets { get; } = [];

        public bool StatefulSetsForbidden { get; set; }

        public Task<V1Service?> ReadServiceAsync(string ns, string name, CancellationToken cancellationToken) =>
            Task.FromResult(Services.FirstOrDefault(s => s.Metadata.Name == name));

        public Task<IReadOnlyList<Workload>> ListDeploymentsAsync(string ns, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<Workload>>(Deployments);

        public Task<IReadOnlyList<Workload>> ListStatefulSetsAsync(string ns, CancellationToken cancellationToken) =>
            StatefulSetsForbidden
                ? Task.FromException<IReadOnlyList<Workload>>(new DevSpacesException(RpcErrorCode.Forbidden, "statefulsets is forbidden", "Ask for the right to list statefulsets."))
                : Task.FromResult<IReadOnlyList<Workload>>(StatefulSets);
    }
}
