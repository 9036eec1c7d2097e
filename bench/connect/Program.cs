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
using var cluster = ClusterConnection.Open(loaded, loaded.Config.CurrentContext);
var log = new TextWriterLog(LogLevel.Warning, Console.Error);
var settings = new AgentSettings { BaseImage = BaseImage };

static string Ms(double ms) => ms.ToString("0", CultureInfo.InvariantCulture) + " ms";
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
    var image = (await agentImage.EnsureAsync(null, CancellationToken.None)).Reference;
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

    // Connect set-up: the call until the first request to the api Service is answered by the local process.
    var setup = new List<double>();
    for (var i = 0; i < rounds; i++)
    {
        var watch = Stopwatch.StartNew();
        await using var session = await new ConnectService(cluster, agentImage, settings, log).ConnectAsync(new ConnectRequest(ns, "api", localPort), _ => { }, CancellationToken.None);
        await Until(async () =>
        {
            try
            {
                return await http.GetStringAsync($"http://{apiIp}/healthz") == "local" ? "served" : null;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return null;
            }
        }, TimeSpan.FromSeconds(60), "first request served locally");
        setup.Add(watch.Elapsed.TotalMilliseconds);
        if (i == rounds - 1)
        {
            // Latency: the local process calling the quotes Service through the tunnel vs kubectl port-forward to it.
            var tunnelPort = session.Endpoints.Single(e => e.Service == "quotes").LocalPort;
            var tunnel = await Latencies(http, $"http://127.0.0.1:{tunnelPort}/healthz", requests);
            var kubectlPort = FreePort();
            using var kubectl = Process.Start(new ProcessStartInfo("kubectl", ["--kubeconfig", kubeconfig, "-n", ns, "port-forward", "service/quotes", $"{kubectlPort}:80"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
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
            var baseline = await Latencies(http, $"http://127.0.0.1:{kubectlPort}/healthz", requests);
            kubectl.Kill();
            await kubectl.WaitForExitAsync();
            Console.WriteLine($"latency local->quotes (median/p95 of {requests}): tunnel {Ms(Median(tunnel))}/{Ms(Percentile(tunnel, 0.95))}, kubectl port-forward {Ms(Median(baseline))}/{Ms(Percentile(baseline, 0.95))}, ratio {Median(tunnel) / Median(baseline):0.00}");
        }
    }

    // Restore after kill -9 of the connect command: until the workload has its replicas back and no record.
    var restore = new List<double>();
    for (var i = 0; i < rounds; i++)
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
    Console.WriteLine($"connect set-up, call -> first request served locally (median of {rounds}): {Ms(Median(setup))}  ratio to bare pod {Median(setup) / Median(barePod):0.00}  [{string.Join(", ", setup.Select(Ms))}]");
    Console.WriteLine($"restore after kill -9 of the connect command (median of {rounds}): {Ms(Median(restore))}  ratio to bare pod {Median(restore) / Median(barePod):0.00}  (heartbeat timeout {settings.HeartbeatTimeout.TotalSeconds:0} s)");
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

static async Task<List<double>> Latencies(HttpClient http, string url, int count)
{
    for (var i = 0; i < 20; i++)
    {
        await http.GetStringAsync(url);
    }

    var result = new List<double>(count);
    for (var i = 0; i < count; i++)
    {
        var watch = Stopwatch.StartNew();
        await http.GetStringAsync(url);
        result.Add(watch.Elapsed.TotalMilliseconds);
    }

    return result;
}
