using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using DevSpaces.Cli;
using DevSpaces.Contracts;
using DevSpaces.Cli.Commands;
using DevSpaces.Core.Cluster;
using DevSpaces.Core.Images;
using DevSpaces.Core.Logging;
using k8s;
using k8s.Models;

// One backend pod, three ways in, one run: straight to the pod, through devspaces-router (the routed Service's cluster
// IP, as clients in the cluster call it) and through nginx in a pod next to it (its Service's cluster IP; nginx sends
// to the same baseline Service the router sends to). Both proxies run as pods with the same CPU request, so the node
// schedules them alike. Latency on one keep-alive connection, throughput with many; wrk measures both.
var repo = args.Length > 0 ? args[0] : Directory.GetCurrentDirectory();
var kubeconfig = Environment.GetEnvironmentVariable("DEVSPACES_TEST_KUBECONFIG") ?? Environment.GetEnvironmentVariable("KUBECONFIG")
    ?? throw new InvalidOperationException("Set DEVSPACES_TEST_KUBECONFIG (bench/router/run does).");
var rounds = Setting("BENCH_ROUNDS", 3);
var seconds = Setting("BENCH_SECONDS", 5);
var connections = Setting("BENCH_CONNECTIONS", 32);
// Every target gets the same number of requests before it is measured: the router's code is jitted in tiers (the hot
// methods are compiled again, optimised with what the first calls showed, after some thousand calls), nginx has no JIT.
var warmup = Setting("BENCH_WARMUP", 30000);
var workspace = Directory.CreateTempSubdirectory("devspaces-bench-router-").FullName;
var environment = new Dictionary<string, string?> { ["DEVSPACES_ROUTER_BASE_IMAGE"] = Environment.GetEnvironmentVariable("DEVSPACES_ROUTER_BASE_IMAGE") ?? "devspaces.local/dotnet-aspnet:10.0" };
await using var app = Composition.ForCli(new KubeconfigSource(kubeconfig, null, null), new NullLog(), workspace, new CliOutput(TextWriter.Null, TextWriter.Null, false), workspace, name => environment.GetValueOrDefault(name) ?? Environment.GetEnvironmentVariable(name));
var loaded = new KubeconfigSource(kubeconfig, null, null).Load();
using var connection = ClusterConnection.Open(loaded, loaded.CurrentContext!);
var client = connection.Client;
var ns = $"bench-rt-{Guid.NewGuid():N}"[..17];
var children = new List<string>();
var results = new Dictionary<string, List<(double P50, double P99, double Rps, double CpuMsPer1000)>>();
try
{
    await app.Spaces.CreateSpaceAsync(ns, null, CancellationToken.None);
    var image = await BuildBackendAsync();
    await DeployBackendAsync(image);
    var pod = await ReadyPodAsync("echo");
    await app.Routing.EnableRoutingAsync(ns, null, "echo", CancellationToken.None);
    var routed = (await client.CoreV1.ReadNamespacedServiceAsync("echo", ns)).Spec.ClusterIP;
    var baseline = (await client.CoreV1.ReadNamespacedServiceAsync("devspaces-base-echo", ns)).Spec.ClusterIP;
    var routerPod = (await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "devspaces.io/router=true")).Items.Single(p => p.Metadata.DeletionTimestamp is null);
    var routerContainer = routerPod.Spec.Containers[0];
    var cpuRequest = routerContainer.Resources?.Requests is { } requests && requests.TryGetValue("cpu", out var requested) ? requested.ToString() : "none";
    Console.WriteLine($"router: cpu request {cpuRequest}, env {string.Join(" ", routerContainer.Env.Where(e => e.Name.StartsWith("DOTNET_", StringComparison.Ordinal)).Select(e => $"{e.Name}={e.Value}"))}");
    await UntilRouterAnswersAsync($"http://{routed}/");

    var nginxPod = await DeployNginxAsync(baseline, routerContainer.Resources?.Requests);
    var nginxIp = (await client.CoreV1.ReadNamespacedServiceAsync("nginx", ns)).Spec.ClusterIP;
    var targets = new (string Name, string Url, Func<Usage>? Cpu)[]
    {
        ("direct", $"http://{pod.Status.PodIP}:8080/", null),
        ("router", $"http://{routed}/", () => ContainerUsage(routerPod.Metadata.Name, "router")),
        ("nginx", $"http://{nginxIp}/", () => ContainerUsage(nginxPod, "nginx")),
    };
    Console.WriteLine($"backend: Node.js http server, pod {pod.Metadata.Name}; router pod {routerPod.Metadata.Name}; nginx {NginxVersion()} pod {nginxPod} with {Environment.ProcessorCount} workers, keepalive upstream");
    Console.WriteLine($"{rounds} rounds, order rotated; warm-up: {warmup} requests on {connections} connections per target; latency: wrk 1 connection {seconds} s; throughput: wrk {connections} connections {seconds} s");

    await MeasureAsync(targets);

    // With BENCH_ROUTER_CPU / BENCH_ROUTER_ENV the router is patched and measured again as "router*" (with several
    // variants of BENCH_ROUTER_ENV, separated by ';', each on a new pod as "router*1", "router*2", ...).
    var variants = (Environment.GetEnvironmentVariable("BENCH_ROUTER_ENV") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries);
    var deployedEnv = routerContainer.Env.ToList();
    var lastRouter = "router";
    for (var v = 0; v < Math.Max(1, variants.Length); v++)
    {
        var variant = variants.Length == 0 ? null : variants[v];
        if (!await TryRouterSettingsAsync(deployedEnv, variant))
        {
            break;
        }

        var label = variants.Length > 1 ? $"router*{v + 1}" : "router*";
        var patched = (await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "devspaces.io/router=true")).Items.Single(p => p.Metadata.DeletionTimestamp is null);
        await UntilRouterAnswersAsync($"http://{routed}/");
        Console.WriteLine($"{label}: pod {patched.Metadata.Name}, cpu request {Environment.GetEnvironmentVariable("BENCH_ROUTER_CPU") ?? "as deployed"}, added env {variant ?? "none"}");
        results[label] = [];
        await WarmUpAsync(label, $"http://{routed}/");
        for (var round = 0; round < rounds; round++)
        {
            var latency = await WrkAsync($"http://{routed}/", 1, 1);
            var cpuBefore = ContainerUsage(patched.Metadata.Name, "router");
            var load = await WrkAsync($"http://{routed}/", connections, 2);
            Record(label, round, latency, load, ContainerUsage(patched.Metadata.Name, "router") - cpuBefore);
        }

        lastRouter = label;
    }

    // BENCH_CHILDREN child spaces (default 200, a team-sized cluster) under the root, each followed by the router:
    // the deployed router (put back if a variant ran) measured again with direct and nginx alongside, in rotated
    // rounds as before, so its overhead is compared with baselines measured while the cluster holds the same tree;
    // then a new child's routes timed from its creation to the first request for it that the router sends to the
    // child's own Service instead of the baseline.
    var childCount = Setting("BENCH_CHILDREN", 200);
    var (routedMs, answeredMs) = (double.NaN, double.NaN);
    if (Environment.GetEnvironmentVariable("BENCH_CHILDREN") != "0")
    {
        if (lastRouter != "router")
        {
            await RollOutRouterAsync(container =>
            {
                container.Env = deployedEnv.ToList();
                container.Resources = routerContainer.Resources;
            });
            await UntilRouterAnswersAsync($"http://{routed}/");
        }

        var created = Stopwatch.StartNew();
        for (var i = 0; i < childCount; i++)
        {
            var child = $"{ns}-c{i}";
            children.Add(child);
            await app.Spaces.CreateSpaceAsync(child, ns, CancellationToken.None);
        }

        Console.WriteLine($"{childCount} child spaces created in {created.Elapsed.TotalSeconds:0.0} s");
        var current = (await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "devspaces.io/router=true")).Items.Single(p => p.Metadata.DeletionTimestamp is null).Metadata.Name;
        await MeasureAsync(targets.Select(t => (
            $"{t.Name}+{childCount}",
            t.Url,
            t.Name == "router" ? () => ContainerUsage(current, "router") : t.Cpu)).ToArray());
        (routedMs, answeredMs) = await NewChildLiveMsAsync(routed);
    }

    var median = results.ToDictionary(r => r.Key, r => (
        P50: Median(r.Value.Select(v => v.P50)), P99: Median(r.Value.Select(v => v.P99)),
        Rps: Median(r.Value.Select(v => v.Rps)), Cpu: Median(r.Value.Select(v => v.CpuMsPer1000))));
    Console.WriteLine();
    Console.WriteLine($"{"",-12}{"p50 ms",10}{"p99 ms",10}{"req/s",10}{"proxy CPU ms / 1000 req",26}");
    foreach (var (name, m) in median)
    {
        Console.WriteLine($"{name,-12}{m.P50,10:0.000}{m.P99,10:0.000}{m.Rps,10:0}{(name.StartsWith("direct", StringComparison.Ordinal) ? "" : m.Cpu.ToString("0.0", CultureInfo.InvariantCulture)),26}");
    }

    var (d, rt, ng) = (median["direct"], median["router"], median["nginx"]);
    Console.WriteLine();
    Console.WriteLine($"p50 added: router {rt.P50 - d.P50:+0.000;-0.000} ms, nginx {ng.P50 - d.P50:+0.000;-0.000} ms (goal for the router: ≤ 0.3 ms): {(rt.P50 - d.P50 <= 0.3 ? "met" : "missed")}");
    Console.WriteLine($"p99 added: router {rt.P99 - d.P99:+0.000;-0.000} ms, nginx {ng.P99 - d.P99:+0.000;-0.000} ms");
    Console.WriteLine($"throughput: router / nginx {rt.Rps / ng.Rps:0.00} (goal ≥ 0.80): {(rt.Rps / ng.Rps >= 0.8 ? "met" : "missed")}; router / direct {rt.Rps / d.Rps:0.00}, nginx / direct {ng.Rps / d.Rps:0.00}");
    Console.WriteLine($"proxy CPU per request: router / nginx {rt.Cpu / ng.Cpu:0.00}");
    if (median.TryGetValue($"router+{childCount}", out var many))
    {
        var (manyDirect, manyNginx) = (median[$"direct+{childCount}"], median[$"nginx+{childCount}"]);
        Console.WriteLine($"with {childCount} child spaces: p50 added: router {many.P50 - manyDirect.P50:+0.000;-0.000} ms (without: {rt.P50 - d.P50:+0.000;-0.000}), nginx {manyNginx.P50 - manyDirect.P50:+0.000;-0.000} ms; throughput router / nginx {many.Rps / manyNginx.Rps:0.00} (without: {rt.Rps / ng.Rps:0.00}); proxy CPU per request router / nginx {many.Cpu / manyNginx.Cpu:0.00}");
        Console.WriteLine($"a new child space: the router sends its requests to the child's Service {routedMs:0} ms after the space's creation (goal ≤ 1000 ms): {(routedMs <= 1000 ? "met" : "missed")}; first answered by the child's version after {answeredMs:0} ms");
    }

    foreach (var (label, tuned) in median.Where(m => m.Key.StartsWith("router*", StringComparison.Ordinal)))
    {
        Console.WriteLine($"{label}: p50 added {tuned.P50 - d.P50:+0.000;-0.000} ms, p99 added {tuned.P99 - d.P99:+0.000;-0.000} ms, throughput / nginx {tuned.Rps / ng.Rps:0.00}, CPU per request / nginx {tuned.Cpu / ng.Cpu:0.00}");
    }
}
finally
{
    foreach (var child in children)
    {
        await client.CoreV1.DeleteNamespaceAsync(child);
    }

    await client.CoreV1.DeleteNamespaceAsync(ns);
    Directory.Delete(workspace, true);
}

return 0;

// Every target warmed up alike, then measured in rounds, the order rotated each round: latency on one connection,
// then throughput with the proxy's CPU.
async Task MeasureAsync((string Name, string Url, Func<Usage>? Cpu)[] targets)
{
    foreach (var target in targets)
    {
        results[target.Name] = [];
    }

    foreach (var target in targets)
    {
        await WarmUpAsync(target.Name, target.Url);
    }

    for (var round = 0; round < rounds; round++)
    {
        foreach (var target in targets.Skip(round % targets.Length).Concat(targets.Take(round % targets.Length)))
        {
            var latency = await WrkAsync(target.Url, 1, 1);
            var cpuBefore = target.Cpu?.Invoke() ?? Usage.None;
            var load = await WrkAsync(target.Url, connections, 2);
            var cpu = (target.Cpu?.Invoke() ?? Usage.None) - cpuBefore;
            Record(target.Name, round, latency, load, cpu);
        }
    }
}

// One round's figures, kept for the medians and printed as they come (a trend across rounds shows a target still warming).
void Record(string name, int round, (double P50, double P99, double Rps, long Requests) latency, (double P50, double P99, double Rps, long Requests) load, Usage cpu)
{
    var per1000 = load.Requests > 0 ? 1_000_000.0 / load.Requests : double.NaN;
    var cpuPer1000 = (cpu.User + cpu.System) * per1000;
    results[name].Add((latency.P50, latency.P99, load.Rps, cpuPer1000));
    var usage = double.IsNaN(cpuPer1000) || cpuPer1000 == 0 ? "" : $"  CPU ms / 1000 req {cpuPer1000:0.0} (user {cpu.User * per1000:0.0}, system {cpu.System * per1000:0.0}), context switches / request {cpu.Switches * per1000 / 1000_000:0.00}";
    Console.WriteLine($"  round {round + 1} {name,-12}p50 {latency.P50:0.000} ms  p99 {latency.P99:0.000} ms  {load.Rps:0} req/s{usage}");
}

// The same number of requests through every target before it is measured, on the measured number of connections.
async Task WarmUpAsync(string name, string url)
{
    var took = Stopwatch.StartNew();
    var sent = 0L;
    while (sent < warmup)
    {
        // Runs of one second until the count is reached (wrk stops by time only).
        sent += (await WrkAsync(url, connections, 2, 1)).Requests;
    }

    Console.WriteLine($"  warm-up {name,-12}{sent} requests in {took.Elapsed.TotalSeconds:0.0} s");
}

static int Setting(string name, int fallback) => int.TryParse(Environment.GetEnvironmentVariable(name), out var v) && v > 0 ? v : fallback;

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count == 0 ? 0 : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

async Task<string> BuildBackendAsync()
{
    using var docker = DockerEngine.Connect();
    var request = new ImageBuildRequest(Path.Combine(repo, "tests/DevSpaces.ClusterTests/Routing/SpaceServer"), "devspaces-test/space-server")
    {
        BuildArgs = new Dictionary<string, string> { ["BASE"] = Environment.GetEnvironmentVariable("BENCH_NODE_IMAGE") ?? "devspaces.local/node:20" },
    };
    return (await new ImageBuilder(docker).BuildAsync(request, null, CancellationToken.None)).Reference;
}

Task DeployBackendAsync(string image) =>
    DeployAsync("echo", image, [new V1EnvVar { Name = "SERVICE", Value = "echo" }, new V1EnvVar { Name = "SPACE", Value = ns }], null);

// One pod of the image listening on 8080, behind a Service of the same name on port 80.
async Task DeployAsync(string name, string image, List<V1EnvVar>? env, IDictionary<string, ResourceQuantity>? requests)
{
    var labels = new Dictionary<string, string> { ["app"] = name };
    await client.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1DeploymentSpec
        {
            Replicas = 1,
            Selector = new V1LabelSelector { MatchLabels = labels },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = labels },
                Spec = new V1PodSpec
                {
                    TerminationGracePeriodSeconds = 1,
                    AutomountServiceAccountToken = false,
                    Containers =
                    [
                        new V1Container
                        {
                            Name = name, Image = image, ImagePullPolicy = "IfNotPresent", Env = env,
                            Ports = [new V1ContainerPort { Name = "http", ContainerPort = 8080 }],
                            ReadinessProbe = new V1Probe { TcpSocket = new V1TCPSocketAction { Port = 8080 }, PeriodSeconds = 1 },
                            Resources = new V1ResourceRequirements { Requests = requests is null ? null : new Dictionary<string, ResourceQuantity>(requests) },
                        },
                    ],
                },
            },
        },
    }, ns);
    await client.CoreV1.CreateNamespacedServiceAsync(new V1Service
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1ServiceSpec { Selector = labels, Ports = [new V1ServicePort { Name = "http", Port = 80, TargetPort = "http" }] },
    }, ns);
}

// A new child space whose echo Service reaches a second backend (answering as "child-version"): from the space's
// creation, when the router first sends a request for it to the child's Service (the router's traces say which request
// it served by the child; a request is sent every 10 ms) and when one is first answered by that backend (the node's
// proxy rules must know the new Service's cluster IP too).
async Task<(double RoutedMs, double AnsweredMs)> NewChildLiveMsAsync(string routed)
{
    var image = await BuildBackendAsync();
    await DeployAsync("echo-child", image, [new V1EnvVar { Name = "SERVICE", Value = "echo" }, new V1EnvVar { Name = "SPACE", Value = "child-version" }], null);
    var target = await ReadyPodAsync("echo-child");
    var child = $"{ns}-new";
    children.Add(child);
    using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
    var traceStart = (await TracesAfterAsync(0)).Next;
    var sent = new List<double>();
    var answered = double.NaN;
    var inFlight = new List<Task>();
    var clock = Stopwatch.StartNew();
    await app.Spaces.CreateSpaceAsync(child, ns, CancellationToken.None);
    await client.CoreV1.CreateNamespacedServiceAsync(new V1Service
    {
        Metadata = new V1ObjectMeta { Name = "echo" },
        Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Name = "http", Port = 80, TargetPort = 8080, Protocol = "TCP" }] },
    }, child);
    await client.CoreV1.CreateNamespacedEndpointsAsync(new V1Endpoints
    {
        Metadata = new V1ObjectMeta { Name = "echo" },
        Subsets = [new V1EndpointSubset { Addresses = [new V1EndpointAddress { Ip = target.Status.PodIP }], Ports = [new Corev1EndpointPort { Name = "http", Port = 8080, Protocol = "TCP" }] }],
    }, child);
    while (double.IsNaN(answered) && clock.Elapsed < TimeSpan.FromSeconds(20))
    {
        var n = sent.Count;
        sent.Add(clock.Elapsed.TotalMilliseconds);
        inFlight.Add(Task.Run(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{routed}/?n={n}");
            request.Headers.Add("devspaces-route-as", child);
            try
            {
                using var response = await http.SendAsync(request);
                if (response.IsSuccessStatusCode && (await response.Content.ReadAsStringAsync()).Contains("\"child-version\"", StringComparison.Ordinal))
                {
                    lock (inFlight)
                    {
                        answered = double.IsNaN(answered) ? clock.Elapsed.TotalMilliseconds : Math.Min(answered, clock.Elapsed.TotalMilliseconds);
                    }
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Sent to the child's Service before the node's proxy rules know its cluster IP.
            }
        }));
        await Task.Delay(10);
    }

    await Task.WhenAll(inFlight);
    var traces = await TracesAfterAsync(traceStart);
    var first = traces.Traces.Where(t => t.ServedBy == child && t.Path.StartsWith("/?n=", StringComparison.Ordinal))
        .Select(t => int.Parse(t.Path[4..], CultureInfo.InvariantCulture)).DefaultIfEmpty(-1).Min();
    return (first < 0 ? double.NaN : sent[first], answered);
}

// Every trace the router holds after a sequence number (it answers at most 1000 at a time), and the next to ask after.
async Task<TraceBatch> TracesAfterAsync(long after)
{
    var all = new List<HttpTrace>();
    while (true)
    {
        var batch = await app.Routing.GetTracesAsync(ns, after, 0, null, CancellationToken.None);
        if (batch.Traces.Count == 0)
        {
            return new TraceBatch(all, after);
        }

        all.AddRange(batch.Traces);
        after = batch.Next;
    }
}

// For trying router settings against the same run's baselines: BENCH_ROUTER_CPU (the container's CPU request, e.g.
// 500m) and BENCH_ROUTER_ENV (NAME=value,... added to its environment) patch the router's Deployment.
async Task<bool> TryRouterSettingsAsync(List<V1EnvVar> deployedEnv, string? env)
{
    var cpu = Environment.GetEnvironmentVariable("BENCH_ROUTER_CPU");
    if (string.IsNullOrEmpty(cpu) && string.IsNullOrEmpty(env))
    {
        return false;
    }

    await RollOutRouterAsync(container =>
    {
        if (!string.IsNullOrEmpty(cpu))
        {
            container.Resources.Requests["cpu"] = new ResourceQuantity(cpu);
        }

        container.Env = deployedEnv.ToList();
        foreach (var pair in (env ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var (name, value) = (pair[..pair.IndexOf('=')], pair[(pair.IndexOf('=') + 1)..]);
            container.Env.Add(new V1EnvVar { Name = name, Value = value });
        }
    });
    return true;
}

// Changes the router's container in its Deployment and waits until the one pod of the changed spec is ready.
async Task RollOutRouterAsync(Action<V1Container> change)
{
    var deployment = await client.AppsV1.ReadNamespacedDeploymentAsync("devspaces-router", ns);
    change(deployment.Spec.Template.Spec.Containers[0]);
    var replaced = await client.AppsV1.ReplaceNamespacedDeploymentAsync(deployment, "devspaces-router", ns);
    var deadline = Stopwatch.StartNew();
    while (true)
    {
        // The status must be of the replaced spec (observed generation): until the controller saw it, it still
        // describes the old pod as updated and ready.
        var pods = (await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "devspaces.io/router=true")).Items;
        var done = await client.AppsV1.ReadNamespacedDeploymentAsync("devspaces-router", ns);
        if (done.Status.ObservedGeneration >= replaced.Metadata.Generation && pods.Count == 1 && pods[0].Metadata.DeletionTimestamp is null
            && done.Status.UpdatedReplicas == 1 && done.Status.ReadyReplicas == 1 && done.Status.Replicas == 1)
        {
            return;
        }

        if (deadline.Elapsed > TimeSpan.FromMinutes(2))
        {
            throw new TimeoutException("the patched router did not roll out within 2 minutes");
        }

        await Task.Delay(200);
    }
}

async Task<V1Pod> ReadyPodAsync(string app)
{
    var deadline = Stopwatch.StartNew();
    while (true)
    {
        var pods = await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: $"app={app}");
        var ready = pods.Items.FirstOrDefault(p => p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true);
        if (ready is not null)
        {
            return ready;
        }

        if (deadline.Elapsed > TimeSpan.FromMinutes(2))
        {
            throw new TimeoutException($"the {app} pod did not get ready within 2 minutes");
        }

        await Task.Delay(200);
    }
}

// The routed Service's cluster IP reaches the router once the node's proxy rules follow its new endpoints: a request
// the router traced shows it does.
async Task UntilRouterAnswersAsync(string url)
{
    // A new connection each time: one kept alive from before the switch would stay with the backend pod.
    using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5), DefaultRequestHeaders = { ConnectionClose = true } };
    var start = (await app.Routing.GetTracesAsync(ns, 0, 0, null, CancellationToken.None)).Next;
    var deadline = Stopwatch.StartNew();
    while (deadline.Elapsed < TimeSpan.FromSeconds(30))
    {
        (await http.GetAsync(url)).EnsureSuccessStatusCode();
        if ((await app.Routing.GetTracesAsync(ns, start, 0, null, CancellationToken.None)).Traces.Count > 0)
        {
            return;
        }
    }

    throw new TimeoutException("requests to the routed Service's cluster IP did not reach the router within 30 s");
}

// nginx (this machine's Debian package: the binary runs on the router's Debian base image as it is) in a pod with the
// router's CPU request, behind its own Service, forwarding to the baseline Service over kept-alive connections.
async Task<string> DeployNginxAsync(string upstream, IDictionary<string, ResourceQuantity>? requests)
{
    var context = Path.Combine(workspace, "nginx");
    Directory.CreateDirectory(context);
    File.Copy("/usr/sbin/nginx", Path.Combine(context, "nginx"));
    File.WriteAllText(Path.Combine(context, "nginx.conf"), $$"""
        worker_processes {{Environment.ProcessorCount}};
        pid /tmp/nginx.pid;
        error_log stderr warn;
        events { worker_connections 4096; }
        http {
          access_log off;
          client_body_temp_path /tmp/body;
          proxy_temp_path /tmp/proxy;
          fastcgi_temp_path /tmp/fastcgi;
          uwsgi_temp_path /tmp/uwsgi;
          scgi_temp_path /tmp/scgi;
          upstream backend { server {{upstream}}:80; keepalive 128; }
          server {
            listen 8080;
            location / {
              proxy_pass http://backend;
              proxy_http_version 1.1;
              proxy_set_header Connection "";
              proxy_set_header Host $http_host;
            }
          }
        }
        """);
    File.WriteAllText(Path.Combine(context, "Dockerfile"), $"""
        FROM {environment["DEVSPACES_ROUTER_BASE_IMAGE"]}
        COPY nginx /usr/sbin/nginx
        COPY nginx.conf /etc/nginx-bench/nginx.conf
        ENTRYPOINT ["/usr/sbin/nginx", "-c", "/etc/nginx-bench/nginx.conf", "-g", "daemon off;"]
        """);
    using var docker = DockerEngine.Connect();
    var image = (await new ImageBuilder(docker).BuildAsync(new ImageBuildRequest(context, "devspaces-bench/nginx"), null, CancellationToken.None)).Reference;
    await DeployAsync("nginx", image, null, requests);
    return (await ReadyPodAsync("nginx")).Metadata.Name;
}

static string NginxVersion()
{
    using var process = Process.Start(new ProcessStartInfo("nginx", ["-v"]) { RedirectStandardError = true })!;
    var text = process.StandardError.ReadToEnd().Trim();
    process.WaitForExit();
    return text.Replace("nginx version: ", "", StringComparison.Ordinal);
}

static async Task<(double P50, double P99, double Rps, long Requests)> WrkAsync(string url, int connections, int threads, int? runSeconds = null)
{
    var seconds = runSeconds ?? Setting("BENCH_SECONDS", 5);
    using var process = Process.Start(new ProcessStartInfo("wrk", ["-t", threads.ToString(CultureInfo.InvariantCulture), "-c", connections.ToString(CultureInfo.InvariantCulture), "-d", $"{seconds}s", "--latency", url]) { RedirectStandardOutput = true })!;
    var text = await process.StandardOutput.ReadToEndAsync();
    await process.WaitForExitAsync();
    double Percentile(string p) => Millis(Regex.Match(text, $@"^\s+{p}%\s+(\S+)", RegexOptions.Multiline).Groups[1].Value);
    var errors = Regex.Match(text, @"Non-2xx or 3xx responses: (\d+)|Socket errors: (.*)");
    if (errors.Success)
    {
        throw new InvalidOperationException($"wrk against {url} saw errors: {errors.Value}");
    }

    var requests = long.Parse(Regex.Match(text, @"(\d+) requests in").Groups[1].Value, CultureInfo.InvariantCulture);
    var rps = double.Parse(Regex.Match(text, @"Requests/sec:\s+(\S+)").Groups[1].Value, CultureInfo.InvariantCulture);
    return (Percentile("50"), Percentile("99"), rps, requests);
}

static double Millis(string value)
{
    var match = Regex.Match(value, @"^([\d.]+)(us|ms|s)$");
    var number = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    return match.Groups[2].Value switch { "us" => number / 1000, "ms" => number, _ => number * 1000 };
}

// CPU seconds (user, system) and context switches (voluntary and not) of a process and its descendants' threads, from
// /proc (clock ticks of 1/100 s).
static Usage ProcessTreeUsage(int root)
{
    var usage = Usage.None;
    foreach (var dir in Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
    {
        try
        {
            var stat = File.ReadAllText(Path.Combine(dir, "stat"));
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var pid = int.Parse(Path.GetFileName(dir), CultureInfo.InvariantCulture);
            if (pid == root || int.Parse(fields[1], CultureInfo.InvariantCulture) == root)
            {
                var switches = Directory.EnumerateDirectories(Path.Combine(dir, "task"))
                    .SelectMany(task => File.ReadLines(Path.Combine(task, "status")))
                    .Where(line => line.Contains("ctxt_switches:", StringComparison.Ordinal))
                    .Sum(line => long.Parse(line[(line.IndexOf(':') + 1)..].Trim(), CultureInfo.InvariantCulture));
                usage += new Usage(long.Parse(fields[11], CultureInfo.InvariantCulture) / 100.0, long.Parse(fields[12], CultureInfo.InvariantCulture) / 100.0, switches);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A process that ended meanwhile.
        }
    }

    return usage;
}

// A pod's container's main process and its children on this machine's Docker engine (the bundled cluster runs its pods
// there).
static Usage ContainerUsage(string pod, string container)
{
    using var process = Process.Start(new ProcessStartInfo("docker", ["ps", "-q", "--filter", $"label=io.kubernetes.pod.name={pod}", "--filter", $"label=io.kubernetes.container.name={container}"]) { RedirectStandardOutput = true })!;
    var id = process.StandardOutput.ReadToEnd().Trim().Split('\n')[0];
    process.WaitForExit();
    if (id.Length == 0)
    {
        // Not found on this engine (seen once right after the router was patched): the CPU figure is left out.
        return new Usage(double.NaN, double.NaN, 0);
    }

    using var inspect = Process.Start(new ProcessStartInfo("docker", ["inspect", "-f", "{{.State.Pid}}", id]) { RedirectStandardOutput = true })!;
    var pid = int.Parse(inspect.StandardOutput.ReadToEnd().Trim(), CultureInfo.InvariantCulture);
    inspect.WaitForExit();
    return ProcessTreeUsage(pid);
}

/// <summary>A proxy's CPU seconds in user and system mode, and its threads' context switches.</summary>
internal readonly record struct Usage(double User, double System, long Switches)
{
    public static readonly Usage None = new(0, 0, 0);

    public static Usage operator +(Usage a, Usage b) => new(a.User + b.User, a.System + b.System, a.Switches + b.Switches);

    public static Usage operator -(Usage a, Usage b) => new(a.User - b.User, a.System - b.System, a.Switches - b.Switches);
}
