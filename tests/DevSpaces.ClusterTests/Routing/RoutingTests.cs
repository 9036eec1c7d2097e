using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using DevSpaces.Cli;
using DevSpaces.Cli.Commands;
using DevSpaces.Contracts;
using DevSpaces.ClusterTests.Support;
using DevSpaces.Core.Cluster;
using DevSpaces.Core.Errors;
using DevSpaces.Core.Images;
using DevSpaces.Core.Logging;
using DevSpaces.Core.Routing;
using DevSpaces.Tests.Support;
using k8s;
using k8s.Models;

namespace DevSpaces.ClusterTests.Routing;

/// <summary>
/// Routing on the real cluster: a root space with web → api, two children and a grandchild each holding other
/// versions (web in b and a-x, api in a and b); every request is answered by the nearest version on its space's
/// path, whatever carries the key, and disabling restores every Service exactly.
/// </summary>
public partial class RoutingTests
{
    private TestCluster cluster = null!;
    private TempDirectory workspace = null!;
    private Composition app = null!;
    private string root = null!;
    private string a = null!;
    private string b = null!;
    private string ax = null!;
    private string otherRoot = null!;
    private Dictionary<string, string> before = null!;
    private RoutingInfo info = null!;
    private HttpClient http = null!;

    [OneTimeSetUp]
    public async Task DeployFourSpacesAndEnableRouting()
    {
        cluster = await TestCluster.ConnectAsync();
        workspace = new TempDirectory();
        var environment = new Dictionary<string, string> { ["DEVSPACES_ROUTER_BASE_IMAGE"] = "devspaces.local/dotnet-aspnet:10.0" };
        app = Composition.ForCli(new KubeconfigSource(cluster.KubeconfigPath, null, null), new NullLog(), workspace.Path, new CliOutput(TextWriter.Null, TextWriter.Null, false), workspace.Path, name => environment.GetValueOrDefault(name));
        http = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromSeconds(5) }) { Timeout = TimeSpan.FromSeconds(20) };

        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var image = await BuildImageAsync(cts.Token);
        root = $"rt-{Guid.NewGuid():N}"[..11];
        a = root + "-a";
        b = root + "-b";
        ax = root + "-a-x";
        otherRoot = root + "-o";
        await CreateSpaceAsync(root, null);
        await CreateSpaceAsync(a, root);
        await CreateSpaceAsync(b, root);
        await CreateSpaceAsync(ax, a);
        await CreateSpaceAsync(otherRoot, null);
        await DeployAsync(root, "web", image, "api", [], cts.Token);
        await DeployAsync(root, "api", image, null, [], cts.Token);
        await DeployAsync(a, "api", image, null, [root], cts.Token);
        await DeployAsync(b, "web", image, "api", [root], cts.Token);
        await DeployAsync(b, "api", image, null, [root], cts.Token);
        await DeployAsync(ax, "web", image, "api", [a, root], cts.Token);
        await DeployAsync(otherRoot, "api", image, null, [], cts.Token);
        foreach (var (ns, service) in new[] { (root, "web"), (root, "api"), (a, "api"), (b, "web"), (b, "api"), (ax, "web"), (otherRoot, "api") })
        {
            await ClusterWaits.EndpointsReadyAsync(cluster.Client, ns, service, TimeSpan.FromSeconds(90));
        }

        before = await ServiceSpecsAsync(root);
        await EnableAsync(cts.Token);
    }

    /// <summary>Enables routing and waits until the node's proxy rules send web's cluster IP to the router.</summary>
    private async Task EnableAsync(CancellationToken cancellationToken)
    {
        info = await app.Routing.EnableRoutingAsync(root, null, "web", cancellationToken);
        // b's web answering shows web's cluster IP reaches the router, a's api behind the root's web shows api's does.
        var seen = "";
        await ClusterWaits.ConditionAsync(
            async () =>
            {
                var (forB, forA) = (await CallAsync(b, "header"), await CallAsync(a, "header"));
                seen = $"b got {forB}, a got {forA}";
                return forB == (b, b) && forA == (root, a);
            },
            TimeSpan.FromSeconds(30),
            () => $"requests to the cluster IPs of web and api reach the router (last: {seen})");
    }

    [OneTimeTearDown]
    public async Task RemoveSpaces()
    {
        foreach (var ns in new[] { isolatedChild, ax, a, b, root, otherRoot }.Where(n => n is not null && Environment.GetEnvironmentVariable("DEVSPACES_TEST_KEEP") is null))
        {
            await cluster.DeleteNamespaceAsync(ns!);
        }

        http?.Dispose();
        if (app is not null)
        {
            await app.DisposeAsync();
        }

        workspace?.Dispose();
        cluster?.Dispose();
    }

    [Test]
    public void Enable_Fronts_The_Roots_Http_Services_And_Gives_Every_Space_A_Url()
    {
        Assert.That(info.Services, Is.EquivalentTo(new[] { "api", "web" }));
        // The isolated connect's child joins the tree when enable runs again after it was made (the disable test does).
        Assert.That(info.Spaces.Select(s => s.Space).Where(s => s != isolatedChild), Is.EquivalentTo(new[] { root, a, b, ax }));
        Assert.That(info.Spaces.Single(s => s.Space == a).Url, Does.Match($@"^http://{a}\.s\.{root}\.localhost:\d+/$"));
    }

    [TestCase("none")]
    [TestCase("header")]
    [TestCase("baggage")]
    [TestCase("host")]
    public async Task Each_Space_Gets_The_Nearest_Version_On_Its_Path_Whatever_Carries_The_Key(string carrier)
    {
        foreach (var space in new[] { root, a, b, ax })
        {
            var (web, api) = await CallAsync(carrier == "none" ? null : space, carrier);
            Assert.That((web, api), Is.EqualTo(Expected(carrier == "none" ? null : space)), $"{carrier} key for {space}");
        }
    }

    [TestCase("kube-system")]
    [TestCase("default")]
    [TestCase("../x")]
    public async Task A_Key_That_Is_Not_A_Space_Of_This_Tree_Gets_The_Baseline(string key)
    {
        Assert.That(await CallAsync(key, "header"), Is.EqualTo((root, root)));
        Assert.That(await CallAsync(otherRoot, "header"), Is.EqualTo((root, root)), "a space of another root");
    }

    [Test]
    public async Task The_Header_Wins_Over_Baggage_And_Conflicting_Headers_Get_The_Baseline()
    {
        using var request = Request();
        request.Headers.Add(RoutingNames.RouteAsHeader, b);
        request.Headers.Add(RoutingNames.BaggageHeader, $"{RoutingNames.BaggageKey}={ax}");
        Assert.That(await SendAsync(request), Is.EqualTo((b, b)));

        using var conflicting = Request();
        conflicting.Headers.TryAddWithoutValidation(RoutingNames.RouteAsHeader, [a, b]);
        Assert.That(await SendAsync(conflicting), Is.EqualTo((root, root)));
    }

    [Test]
    public async Task The_Backend_Receives_The_Key_Of_Its_Space_And_None_For_The_Baseline()
    {
        using var keyed = Request($"{ax}.s.{root}.localhost");
        var body = await SendRawAsync(keyed);
        Assert.That(body["routeAs"]?.GetValue<string>(), Is.EqualTo(ax));
        using var foreign = Request();
        foreign.Headers.Add(RoutingNames.RouteAsHeader, "kube-system");
        Assert.That((await SendRawAsync(foreign))["routeAs"], Is.Null);
    }

    [Test]
    public async Task Two_Thousand_Concurrent_Requests_With_Mixed_Keys_Are_All_Answered_By_The_Right_Space()
    {
        string?[] keys = [null, root, a, b, ax, "kube-system"];
        string[] carriers = ["header", "baggage", "host"];
        var wrong = new ConcurrentBag<string>();
        var answered = 0;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async client =>
        {
            for (var i = 0; i < 250; i++)
            {
                var key = keys[(client + i) % keys.Length];
                var carrier = carriers[i % carriers.Length];
                var got = await CallAsync(key, key is null ? "none" : carrier);
                var expected = Expected(key == "kube-system" ? null : key);
                if (got != expected)
                {
                    wrong.Add($"{key} by {carrier}: {got} instead of {expected}");
                }

                Interlocked.Increment(ref answered);
            }
        }));
        Assert.That(wrong, Is.Empty);
        Assert.That(answered, Is.EqualTo(2000));
    }

    [Test]
    public async Task Traces_Report_Each_Routed_Request_With_The_Space_That_Served_It()
    {
        var start = (await app.Routing.GetTracesAsync(root, 0, 0, null, CancellationToken.None)).Next;
        using var request = Request();
        request.Headers.Add(RoutingNames.RouteAsHeader, a);
        await SendAsync(request);
        TraceBatch batch = new([], start);
        await ClusterWaits.ConditionAsync(async () =>
        {
            batch = await app.Routing.GetTracesAsync(root, start, 5, a, CancellationToken.None);
            return batch.Traces.Any(t => t.Service == "api");
        }, TimeSpan.FromSeconds(20), () => "a trace of the request for api");
        var api = batch.Traces.First(t => t.Service == "api");
        Assert.That((api.Space, api.ServedBy, api.Source, api.Status, api.Method), Is.EqualTo((a, a, "header", 200, "GET")));
    }

    [Test]
    public async Task Disable_Restores_Every_Service_Exactly_And_Removes_The_Router()
    {
        // Runs last (by name order it need not): enable again afterwards for the other tests.
        var disabled = await app.Routing.DisableRoutingAsync(root, CancellationToken.None);
        try
        {
            Assert.That(disabled.Restored, Is.EquivalentTo(new[] { "api", "web" }));
            Assert.That(await ServiceSpecsAsync(root), Is.EqualTo(before));
            var configMaps = await cluster.Client.CoreV1.ListNamespacedConfigMapAsync(root, fieldSelector: $"metadata.name={RoutingNames.ConfigMap}");
            Assert.That(configMaps.Items, Is.Empty);
            var readers = await cluster.Client.RbacAuthorizationV1.ListNamespacedRoleAsync(a, fieldSelector: $"metadata.name={RoutingNames.ChildReader}");
            Assert.That(readers.Items, Is.Empty);
            await ClusterWaits.ConditionAsync(
                async () =>
                {
                    using var request = Request();
                    request.Headers.Add(RoutingNames.RouteAsHeader, a);
                    using var response = await http.SendAsync(request);
                    Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "no request fails while routing is removed");
                    var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                    return body["space"]!.GetValue<string>() == root && body["next"]!["space"]!.GetValue<string>() == root;
                },
                TimeSpan.FromSeconds(20),
                () => "without the router, the baseline answers every request");
        }
        finally
        {
            await EnableAsync(CancellationToken.None);
        }
    }

    [Test]
    public async Task A_Child_Space_Created_After_Enabling_Is_Routed_And_Forgotten_When_Deleted()
    {
        var late = root + "-c";
        await app.Spaces.CreateSpaceAsync(late, b, CancellationToken.None);
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await DeployAsync(late, "web", await BuildImageAsync(cts.Token), "api", [b, root], cts.Token);
            await ClusterWaits.EndpointsReadyAsync(cluster.Client, late, "web", TimeSpan.FromSeconds(90));
            // A new Service's cluster IP answers once the node's proxy rules have it: until then the router answers 502.
            await ClusterWaits.ConditionAsync(
                async () =>
                {
                    using var request = Request();
                    request.Headers.Add(RoutingNames.RouteAsHeader, late);
                    using var response = await http.SendAsync(request);
                    if (!response.IsSuccessStatusCode)
                    {
                        return false;
                    }

                    var body = JsonNode.Parse(await response.Content.ReadAsStringAsync());
                    return body?["space"]?.GetValue<string>() == late && body["next"]?["space"]?.GetValue<string>() == b;
                },
                TimeSpan.FromSeconds(15),
                () => $"the new space {late} serves its web, b its api");
            var listed = await app.Spaces.ListSpacesAsync(CancellationToken.None);
            var urls = Flatten(listed.Roots.Single(r => r.Name == root)).ToDictionary(s => s.Name, s => s.Url);
            Assert.That(urls[late], Does.StartWith($"http://{late}.s.{root}.localhost:"));
            Assert.That(listed.Roots.Single(r => r.Name == otherRoot).Url, Is.Null, "a root without routing has no URL");
        }
        finally
        {
            await app.Spaces.DeleteSpaceAsync(late, false, CancellationToken.None);
        }

        var map = await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync(RoutingNames.ConfigMap, root);
        Assert.That(RouterConfig.SpacesFromJson(map.Data[RoutingNames.SpacesKey]).Select(s => s.Name), Is.EquivalentTo(new[] { a, b, ax }.Concat(isolatedChild is null ? [] : [isolatedChild])));
    }

    private static IEnumerable<SpaceInfo> Flatten(SpaceInfo space) => space.Children.SelectMany(Flatten).Prepend(space);

    [Test]
    public void Enabling_On_A_Child_Space_Names_Its_Root()
    {
        var error = Assert.ThrowsAsync<DevSpacesException>(() => app.Routing.EnableRoutingAsync(ax, null, null, CancellationToken.None))!;
        Assert.That(error.ErrorCode, Is.EqualTo(RpcErrorCode.NotARootSpace));
        Assert.That(error.Hint, Does.Contain($"--space {root}"));
    }

    /// <summary>The versions of web and api a request for <paramref name="space"/> should meet.</summary>
    private (string Web, string Api) Expected(string? space) =>
        space is null || space == root ? (root, root)
        : space == a ? (root, a)
        : space == b ? (b, b)
        : (ax, a);

    private async Task<(string Web, string Api)> CallAsync(string? key, string carrier)
    {
        using var request = Request(carrier == "host" ? $"{key}.s.{root}.localhost" : null);
        if (carrier == "header")
        {
            request.Headers.Add(RoutingNames.RouteAsHeader, key);
        }
        else if (carrier == "baggage")
        {
            request.Headers.Add(RoutingNames.BaggageHeader, $"team=x,{RoutingNames.BaggageKey}={key}");
        }

        return await SendAsync(request);
    }

    /// <summary>A GET of web's /call; with a host, through the router's node port (the space URL), else through web's cluster IP.</summary>
    private HttpRequestMessage Request(string? host = null)
    {
        if (host is null)
        {
            return new HttpRequestMessage(HttpMethod.Get, $"http://{webClusterIp ??= ClusterIpOf(root, "web")}/call");
        }

        var port = info.Spaces[0].Url.Split(':')[2].TrimEnd('/');
        var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/call");
        request.Headers.Host = host;
        return request;
    }

    private string? webClusterIp;

    private string ClusterIpOf(string ns, string service) => cluster.Client.CoreV1.ReadNamespacedService(service, ns).Spec.ClusterIP;

    private async Task<(string Web, string Api)> SendAsync(HttpRequestMessage request)
    {
        var body = await SendRawAsync(request);
        return (body["space"]!.GetValue<string>(), body["next"]?["space"]?.GetValue<string>() ?? $"error: {body["next"]}");
    }

    private async Task<JsonObject> SendRawAsync(HttpRequestMessage request)
    {
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>Every Service of the namespace but the router's: its spec, labels and annotations as JSON.</summary>
    private async Task<Dictionary<string, string>> ServiceSpecsAsync(string ns)
    {
        var services = await cluster.Client.CoreV1.ListNamespacedServiceAsync(ns);
        return services.Items
            .Where(s => s.Metadata.Labels?.ContainsKey(RoutingNames.PartLabel) != true)
            .ToDictionary(s => s.Metadata.Name, s => KubernetesJson.Serialize(new { s.Spec, s.Metadata.Labels, s.Metadata.Annotations }));
    }

    private async Task CreateSpaceAsync(string name, string? parent)
    {
        var labels = new Dictionary<string, string> { ["devspaces.io/test"] = "true", ["devspaces.io/space"] = "true" };
        if (parent is not null)
        {
            labels["devspaces.io/parent"] = parent;
        }

        await cluster.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name, Labels = labels } });
    }

    private static async Task<string> BuildImageAsync(CancellationToken cancellationToken)
    {
        using var docker = DockerEngine.Connect();
        var request = new ImageBuildRequest(Path.Combine(TestCluster.RepositoryRoot, "tests/DevSpaces.ClusterTests/Routing/SpaceServer"), "devspaces-test/space-server")
        {
            BuildArgs = new Dictionary<string, string> { ["BASE"] = "devspaces.local/node:20" },
        };
        return (await new ImageBuilder(docker).BuildAsync(request, null, cancellationToken)).Reference;
    }

    /// <summary>One version of <paramref name="service"/> in <paramref name="ns"/>, with the ancestors' DNS search paths so short names reach the parent's Services.</summary>
    private async Task DeployAsync(string ns, string service, string image, string? downstream, string[] ancestors, CancellationToken cancellationToken)
    {
        var labels = new Dictionary<string, string> { ["app"] = service };
        var env = new List<V1EnvVar> { new() { Name = "SERVICE", Value = service }, new() { Name = "SPACE", Value = ns } };
        if (downstream is not null)
        {
            env.Add(new V1EnvVar { Name = "DOWNSTREAM", Value = downstream });
        }

        var pod = new V1PodSpec
        {
            TerminationGracePeriodSeconds = 1,
            AutomountServiceAccountToken = false,
            Containers =
            [
                new V1Container
                {
                    Name = service,
                    Image = image,
                    ImagePullPolicy = "IfNotPresent",
                    Env = env,
                    Ports = [new V1ContainerPort { Name = "http", ContainerPort = 8080 }, new V1ContainerPort { Name = "h2", ContainerPort = 8081 }],
                    ReadinessProbe = new V1Probe { TcpSocket = new V1TCPSocketAction { Port = 8080 }, PeriodSeconds = 1 },
                },
            ],
        };
        SpaceDns.Apply(pod, ancestors);
        await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(
            new V1Deployment
            {
                Metadata = new V1ObjectMeta { Name = service },
                Spec = new V1DeploymentSpec
                {
                    Replicas = 1,
                    Selector = new V1LabelSelector { MatchLabels = labels },
                    Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = labels }, Spec = pod },
                },
            },
            ns,
            cancellationToken: cancellationToken);
        await cluster.Client.CoreV1.CreateNamespacedServiceAsync(
            new V1Service
            {
                Metadata = new V1ObjectMeta { Name = service, Labels = new Dictionary<string, string> { ["app"] = service }, Annotations = new Dictionary<string, string> { ["test/kept"] = "yes" } },
                Spec = new V1ServiceSpec
                {
                    Selector = labels,
                    Ports = [new V1ServicePort { Name = "http", Port = 80, TargetPort = "http" }, new V1ServicePort { Name = "h2", Port = 81, TargetPort = "h2", AppProtocol = "h2c" }],
                },
            },
            ns,
            cancellationToken: cancellationToken);
    }
}
