using DevSpaces.Contracts;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using DevSpaces.Core.Cluster;
using DevSpaces.Core.Connect;
using DevSpaces.Core.Images;
using DevSpaces.Core.Logging;
using DevSpaces.Core.PortForwarding;
using DevSpaces.Tunnel.Takeover;
using k8s;
using k8s.Models;

// Connect set-up, restore after kill -9 and tunnel latency, each against a baseline from the same run.
var rounds = int.Parse(Environment.GetEnvironmentVariable("BENCH_ROUNDS") ?? "3", CultureInfo.InvariantCulture);
var requests = int.Parse(Environment.GetEnvironmentVariable("BENCH_REQUESTS") ?? "300", CultureInfo.InvariantCulture);
const string BaseImage = "devspaces.local/dotnet-aspnet:10.0";
var repo = args.Length > 0 ? args[0] : throw new ArgumentException("usage: ConnectBench <repository root>");
var kubeconfig = Environment.GetEnvironmentVariable("DEVSPACES_TEST_KUBECONFIG") ?? Environment.GetEnvironmentVariable("KUBECONFIG")
                 ?? throw new InvalidOperationException("Set DEVSPACES_TEST_KUBECONFIG or KUBECONFIG (run tests/cluster/up).");
using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
var ns = $"ds-bench-connect-{Guid.NewGuid().ToString("N")[..6]}";
var loaded = new KubeconfigSource(kubeconfig, null, null).Load();
using var cluster = ClusterConnection.Open(loaded, loaded.CurrentContext!);
var phaseLog = new PhaseLog(new TextWriterLog(LogLevel.Warning, Console.Error));
var log = phaseLog;
var parts = (Environment.GetEnvironmentVariable("BENCH_PARTS") ?? "setup,latency,restore").Split(',', StringSplitOptions.TrimEntries);
var settings = new AgentSettings { BaseImage = BaseImage };

static string Ms(double ms) => ms.ToString(ms < 20 ? "0.0" : "0", CultureInfo.InvariantCulture) + " ms";
static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

static double Percentile(List<double> values, double p)
{
    var sorted = values.Order().ToList();
    return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}

async Task<T> Until<T>(Func<Task<T?>> probe, TimeSpan timeout, string what)
    where T : class
{
    var deadline = Stopwatch.StartNew();
    while (true)
    {
        if (await probe() is { } value)
        {
            return value;
        }

        if (deadline.Elapsed > timeout)
        {
            throw new TimeoutException($"{what} did not happen within {timeout.TotalSeconds:0} s");
        }

        await Task.Delay(20);
    }
}

var deploy = Process.Start("bash", [Path.Combine(repo, "samples/deploy"), "--namespace", ns, "--local-bases", "--node-port", "auto", "--kubeconfig", kubeconfig])!;
await deploy.WaitForExitAsync();
if (deploy.ExitCode != 0)
{
    throw new InvalidOperationException("samples/deploy failed");
}

try
{
    using var docker = DockerEngine.Connect();
    var agentImage = new AgentImage(new ImageBuilder(docker), new ImageDelivery(docker, client, new ImageDeliverySettings()), settings);
    var image = (await agentImage.EnsureAsync(ns, null, CancellationToken.None)).Reference;
    var apiIp = (await client.CoreV1.ReadNamespacedServiceAsync("api", ns)).Spec.ClusterIP;
    using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };

    // The local process: answers "local" so we can tell where a request was served.
    var localPort = FreePort();
    using var local = new HttpListener();
    local.Prefixes.Add($"http://*:{localPort}/");
    local.Start();
    using var stopLocal = new CancellationTokenSource();
    var serving = Task.Run(async () =>
    {
        while (!stopLocal.IsCancellationRequested)
        {
            try
            {
                var context = await local.GetContextAsync();
                var body = Encoding.UTF8.GetBytes("local");
                context.Response.ContentLength64 = body.Length;
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }
            catch (Exception) when (stopLocal.IsCancellationRequested)
            {
                return;
            }
        }
    });

    // Baseline 1: a bare pod of the agent image, created until ready (running, container started).
    var barePod = new List<double>();
    for (var i = 0; i < rounds; i++)
    {
        var name = $"bare-{i}";
        var watch = Stopwatch.StartNew();
        await client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1PodSpec
            {
                TerminationGracePeriodSeconds = 0,
                SecurityContext = new V1PodSecurityContext { RunAsNonRoot = true, RunAsUser = 10001 },
                Containers = [new V1Container { Name = "bare", Image = image, ImagePullPolicy = "Never", Command = ["sleep", "3600"] }],
            },
        }, ns);
        await Until(async () => PodReadiness.IsReady(await client.CoreV1.ReadNamespacedPodAsync(name, ns)) ? "ready" : null, TimeSpan.FromSeconds(90), "bare pod ready");
        barePod.Add(watch.Elapsed.TotalMilliseconds);
        await client.CoreV1.DeleteNamespacedPodAsync(name, ns, new V1DeleteOptions { GracePeriodSeconds = 0 });
    }

    // Connect set-up: the call until the first request to the api Service is answered by the local process. Each
    // round starts from a running workload (as a user would), and the agent's pods are watched from here so the
    // phases inside the cluster (scheduled, container running, ready) can be placed next to the daemon's own.
    var setup = new List<double>();
    var firstLocal = new List<double>();
    var connectedAt = new List<double>();
    var phases = new List<Dictionary<string, double>>();
    var setupRounds = parts.Contains("setup") ? rounds : parts.Contains("latency") ? 1 : 0;
    for (var i = 0; i < setupRounds; i++)
    {
        await Until(async () => (await client.AppsV1.ReadNamespacedDeploymentAsync("api", ns)).Status.AvailableReplicas == 1
            && (await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: $"{TakeoverNames.AgentLabel}=api")).Items.Count == 0 ? "ready" : null, TimeSpan.FromSeconds(90), "api available, no agent pod");
        var watch = Stopwatch.StartNew();
        var timeline = new Dictionary<string, double>();
        void Mark(string phase)
        {
            lock (timeline)
            {
                timeline.TryAdd(phase, watch.Elapsed.TotalMilliseconds);
            }
        }

        using var stopPods = new CancellationTokenSource();
        var podEvents = FollowAgentPods(client, ns, Mark, stopPods.Token);
        phaseLog.OnPhase = Mark;

        // A client that opens a new connection to the Service every 50 ms from the call on: when the local process
        // answers it first is when the takeover reached clients, whatever "connected" waits for after that.
        using var stopPolling = new CancellationTokenSource();
        var polling = Task.Run(async () =>
        {
            while (!stopPolling.IsCancellationRequested)
            {
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{apiIp}/healthz") { Headers = { ConnectionClose = true } };
                    using var answer = await http.SendAsync(request, stopPolling.Token);
                    if (await answer.Content.ReadAsStringAsync(stopPolling.Token) == "local")
                    {
                        Mark("first request served locally, polled from the call");
                        firstLocal.Add(watch.Elapsed.TotalMilliseconds);
                        return;
                    }
                }
                catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
                {
                }

                try
                {
                    await Task.Delay(50, stopPolling.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });
        await using var session = await new ConnectService(cluster, agentImage, settings, log).ConnectAsync(new ConnectRequest(ns, "api", localPort), _ => { }, CancellationToken.None);
        Mark("connect call returned");
        connectedAt.Add(watch.Elapsed.TotalMilliseconds);
        var slowAttempts = new List<string>();
        await Until(async () =>
        {
            var attempt = Stopwatch.StartNew();
            try
            {
                // A new connection each time, as a new client would open: a kept-alive one stays with the pod it first reached.
                using var probe = new HttpRequestMessage(HttpMethod.Get, $"http://{apiIp}/healthz") { Headers = { ConnectionClose = true } };
                using var answer = await http.SendAsync(probe);
                return await answer.Content.ReadAsStringAsync() == "local" ? "served" : null;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                if (attempt.ElapsedMilliseconds > 500)
                {
                    slowAttempts.Add($"{attempt.ElapsedMilliseconds} ms: {e.Message}");
                }

                return null;
            }
        }, TimeSpan.FromSeconds(60), "first request served locally");
        setup.Add(watch.Elapsed.TotalMilliseconds);
        Mark("first request served locally");
        if (slowAttempts.Count > 0)
        {
            Console.Error.WriteLine($"round {i + 1}: slow failed requests before the first served locally: {string.Join("; ", slowAttempts)}");
        }

        stopPolling.CancelAfter(TimeSpan.FromSeconds(10));
        await polling;
        phaseLog.OnPhase = null;
        await stopPods.CancelAsync();
        await podEvents;
        phases.Add(timeline);
        if (i == setupRounds - 1 && parts.Contains("latency"))
        {
            // Latency: the local process calling a cluster Service through the tunnel vs kubectl port-forward to it.
            // frontend (Node) answers a kept-alive request in well under a millisecond, so the figures are the
            // forwarders'; quotes (the JDK's HTTP server) adds ~40 ms per kept-alive request itself (Nagle against
            // delayed ACKs, also when called directly), which hides them. "new connection" opens one per request
            // (for the tunnel: a dial call and a new channel each time).
            foreach (var target in new[] { "frontend", "quotes" })
            {
                var tunnelPort = session.Endpoints.Single(e => e.Service == target).LocalPort;
                var kubectlPort = FreePort();
                using var kubectl = Process.Start(new ProcessStartInfo("kubectl", ["--kubeconfig", kubeconfig, "-n", ns, "port-forward", $"service/{target}", $"{kubectlPort}:80"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
                var draining = kubectl.StandardOutput.ReadToEndAsync();
                await Until(async () =>
                {
                    try
                    {
                        return (await http.GetAsync($"http://127.0.0.1:{kubectlPort}/healthz")).IsSuccessStatusCode ? "up" : null;
                    }
                    catch (HttpRequestException)
                    {
                        return null;
                    }
                }, TimeSpan.FromSeconds(30), "kubectl port-forward answering");
                foreach (var fresh in target == "frontend" ? new[] { false, true } : [false])
                {
                    // Alternating requests, so both paths see the same load of this shared machine.
                    var (tunnel, baseline) = await Latencies(http, $"http://127.0.0.1:{tunnelPort}/healthz", $"http://127.0.0.1:{kubectlPort}/healthz", requests, fresh);
                    Console.WriteLine($"latency local->{target}{(fresh ? ", new connection" : "")} (median/p95 of {requests}, alternating): tunnel {Ms(Median(tunnel))}/{Ms(Percentile(tunnel, 0.95))}, kubectl port-forward {Ms(Median(baseline))}/{Ms(Percentile(baseline, 0.95))}, ratio median {Median(tunnel) / Median(baseline):0.00}, p95 {Percentile(tunnel, 0.95) / Percentile(baseline, 0.95):0.00}");
                }

                kubectl.Kill();
                await kubectl.WaitForExitAsync();
            }
        }
    }

    // Restore after kill -9 of the connect command: until the workload has its replicas back and no record.
    var restore = new List<double>();
    for (var i = 0; i < (parts.Contains("restore") ? rounds : 0); i++)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "devspaces.dll"), "connect", "api", "--local-port", localPort.ToString(CultureInfo.InvariantCulture), "--space", ns])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        start.Environment["KUBECONFIG"] = kubeconfig;
        start.Environment["DEVSPACES_AGENT_BASE_IMAGE"] = BaseImage;
        using var command = Process.Start(start)!;
        var output = new StringBuilder();
        var connected = new TaskCompletionSource();
        command.ErrorDataReceived += (_, e) =>
        {
            if (e.Data?.Contains("press Ctrl-C", StringComparison.Ordinal) == true)
            {
                connected.TrySetResult();
            }
        };
        command.BeginErrorReadLine();
        await connected.Task.WaitAsync(TimeSpan.FromMinutes(2));
        command.Kill();
        var watch = Stopwatch.StartNew();
        await Until(async () =>
        {
            var d = await client.AppsV1.ReadNamespacedDeploymentAsync("api", ns);
            return d.Spec.Replicas == 1 && d.Metadata.Annotations?.ContainsKey(TakeoverNames.RecordAnnotation) != true ? "restored" : null;
        }, TimeSpan.FromSeconds(30), "restore after kill -9");
        restore.Add(watch.Elapsed.TotalMilliseconds);
        await Until(async () => (await client.AppsV1.ReadNamespacedDeploymentAsync("api", ns)).Status.AvailableReplicas == 1
            && (await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: $"{TakeoverNames.AgentLabel}=api")).Items.Count == 0 ? "clean" : null, TimeSpan.FromSeconds(60), "api available again, agent gone");
    }

    await stopLocal.CancelAsync();
    local.Stop();
    Console.WriteLine($"bare pod start of the agent image (median of {rounds}): {Ms(Median(barePod))}");
    if (parts.Contains("setup"))
    {
        Console.WriteLine($"connect set-up, call -> first request served locally (median of {rounds}): {Ms(Median(setup))}  ratio to bare pod {Median(setup) / Median(barePod):0.00}  [{string.Join(", ", setup.Select(Ms))}]");
        Console.WriteLine($"connect set-up, call -> first request served locally to a client polling from the call (median of {firstLocal.Count}): {Ms(Median(firstLocal))}  ratio to bare pod {Median(firstLocal) / Median(barePod):0.00}  [{string.Join(", ", firstLocal.Select(Ms))}]");
        Console.WriteLine($"connect set-up, call -> connect returns (\"connected\", the original's pods stopped) (median of {rounds}): {Ms(Median(connectedAt))}  ratio to bare pod {Median(connectedAt) / Median(barePod):0.00}");
        Console.WriteLine($"set-up phases, ms since the call (median of {rounds}; 'agent pod …' lines are watch events of the agent's pod):");
        foreach (var phase in phases.SelectMany(p => p.Keys).Distinct().OrderBy(k => Median(phases.Where(p => p.ContainsKey(k)).Select(p => p[k]))))
        {
            var values = phases.Where(p => p.ContainsKey(phase)).Select(p => p[phase]).ToList();
            Console.WriteLine($"  {Median(values),6:0}  {phase}  [{string.Join(", ", values.Select(v => v.ToString("0", CultureInfo.InvariantCulture)))}]");
        }
    }

    if (parts.Contains("restore"))
    {
        Console.WriteLine($"restore after kill -9 of the connect command (median of {rounds}): {Ms(Median(restore))}  ratio to bare pod {Median(restore) / Median(barePod):0.00}  (heartbeat timeout {settings.HeartbeatTimeout.TotalSeconds:0} s)");
    }
}
finally
{
    await client.CoreV1.DeleteNamespaceAsync(ns, new V1DeleteOptions { PropagationPolicy = "Background" });
}

static int FreePort()
{
    var probe = new TcpListener(IPAddress.Loopback, 0);
    probe.Start();
    var port = ((IPEndPoint)probe.LocalEndpoint).Port;
    probe.Stop();
    return port;
}

// Marks when the agent's pod is first seen, scheduled, has its container running and turns ready.
static async Task FollowAgentPods(Kubernetes client, string ns, Action<string> mark, CancellationToken cancellationToken)
{
    try
    {
        await foreach (var (_, pod) in client.CoreV1.WatchListNamespacedPodAsync(ns, labelSelector: $"{TakeoverNames.AgentLabel}=api", cancellationToken: cancellationToken))
        {
            if (pod.Metadata.DeletionTimestamp is not null)
            {
                continue;
            }

            mark("agent pod created");
            if (pod.Status?.Conditions?.Any(c => c.Type == "PodScheduled" && c.Status == "True") == true)
            {
                mark("agent pod scheduled");
            }

            if (pod.Status?.ContainerStatuses?.Any(c => c.State?.Running is not null) == true)
            {
                mark("agent pod container running");
            }

            if (PodReadiness.IsReady(pod))
            {
                mark("agent pod ready");
            }
        }
    }
    catch (Exception) when (cancellationToken.IsCancellationRequested)
    {
    }
}

static async Task<(List<double> A, List<double> B)> Latencies(HttpClient http, string a, string b, int count, bool fresh)
{
    async Task Get(string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { ConnectionClose = fresh } };
        using var response = await http.SendAsync(request);
        await response.Content.ReadAsStringAsync();
    }

    for (var i = 0; i < 20; i++)
    {
        await Get(a);
        await Get(b);
    }

    var resultA = new List<double>(count);
    var resultB = new List<double>(count);
    for (var i = 0; i < count; i++)
    {
        // Each pair in the other order half of the time, so neither path always follows the other.
        foreach (var (url, result) in i % 2 == 0 ? [(a, resultA), (b, resultB)] : new[] { (b, resultB), (a, resultA) })
        {
            var watch = Stopwatch.StartNew();
            await Get(url);
            result.Add(watch.Elapsed.TotalMilliseconds);
        }
    }

    return (resultA, resultB);
}
