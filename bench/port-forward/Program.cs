using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using DevSpaces.Bench.PortForward;
using DevSpaces.Core.Images;
using DevSpaces.Core.PortForwarding;
using k8s;
using k8s.Models;

// Port-forward throughput and latency: DevSpaces vs `kubectl port-forward`, same pod, same run.
const int SourcePort = 7001;
const int HttpPort = 8080;
var singleBytes = 256L << 20;
var parallelCount = 16;
var parallelBytes = 16L << 20;
var requests = int.Parse(Environment.GetEnvironmentVariable("BENCH_REQUESTS") ?? "2000", CultureInfo.InvariantCulture);
var rounds = int.Parse(Environment.GetEnvironmentVariable("BENCH_ROUNDS") ?? "3", CultureInfo.InvariantCulture);
var connections = int.Parse(Environment.GetEnvironmentVariable("BENCH_CONNECTIONS") ?? "600", CultureInfo.InvariantCulture);
const int block = 20;
// BENCH_LATENCY_ONLY=1 leaves the downloads out (a shorter run when only connection latency changed).
var latencyOnly = Environment.GetEnvironmentVariable("BENCH_LATENCY_ONLY") == "1";

var repo = args.Length > 0 ? args[0] : throw new ArgumentException("usage: PortForwardBench <repository root>");
var kubeconfig = Environment.GetEnvironmentVariable("DEVSPACES_TEST_KUBECONFIG") ?? Environment.GetEnvironmentVariable("KUBECONFIG")
                 ?? throw new InvalidOperationException("Set DEVSPACES_TEST_KUBECONFIG or KUBECONFIG (run tests/cluster/up).");
using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
var ns = $"ds-bench-{Guid.NewGuid().ToString("N")[..8]}";
await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
try
{
    string image;
    using (var docker = DockerEngine.Connect())
    {
        image = (await new ImageBuilder(docker).BuildAsync(
            new ImageBuildRequest(Path.Combine(repo, "tests/DevSpaces.ClusterTests/PortForwarding/TestServer"), "devspaces-test/port-forward-server")
            {
                BuildArgs = new Dictionary<string, string> { ["BASE"] = "devspaces.local/node:20" },
            }, null, CancellationToken.None)).Reference;
    }

    await client.CoreV1.CreateNamespacedPodAsync(new V1Pod
    {
        Metadata = new V1ObjectMeta { Name = "bench" },
        Spec = new V1PodSpec
        {
            TerminationGracePeriodSeconds = 1,
            Containers = [new V1Container { Name = "server", Image = image, ImagePullPolicy = "IfNotPresent", ReadinessProbe = new V1Probe { TcpSocket = new V1TCPSocketAction { Port = HttpPort }, PeriodSeconds = 1 } }],
        },
    }, ns);
    var deadline = DateTime.UtcNow.AddSeconds(90);
    while (!PodReadiness.IsReady(await client.CoreV1.ReadNamespacedPodAsync("bench", ns)))
    {
        if (DateTime.UtcNow > deadline)
        {
            throw new TimeoutException("The bench pod did not become ready in 90 s.");
        }

        await Task.Delay(250);
    }

    await using var devspaces = await DevSpacesForward.StartAsync(kubeconfig, ns, "pod/bench", [SourcePort, HttpPort]);
    await using var kubectl = await KubectlForward.StartAsync(kubeconfig, ns, "pod/bench", [SourcePort, HttpPort]);
    var tools = new (string Name, IPEndPoint Source, IPEndPoint Http)[]
    {
        ("devspaces", devspaces.Endpoints[0], devspaces.Endpoints[1]),
        ("kubectl", kubectl.Endpoints[0], kubectl.Endpoints[1]),
    };
    var watched = new Dictionary<string, int> { ["client"] = Environment.ProcessId, ["devspaces"] = devspaces.Pid, ["kubectl"] = kubectl.Pid };
    foreach (var comm in new[] { "kube-apiserver", "kubelet" })
    {
        if (ProcessCpu.Find(comm) is { } pid)
        {
            watched[comm + (comm == "kubelet" ? " (+socat)" : "")] = pid;
        }
    }

    // Warm up both paths (JIT, TLS sessions, page cache in the pod).
    foreach (var tool in tools)
    {
        await DownloadAsync(tool.Source, 8 << 20);
        using var warm = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await warm.ConnectAsync(tool.Http);
        await KeepAliveLatencyAsync(warm, 200);
    }

    var results = new List<(string Scenario, string Unit, bool HigherIsBetter, double DevSpaces, double Kubectl)>();
    var cpu = new Dictionary<(string Scenario, string Tool), IReadOnlyDictionary<string, double>>();

    async Task<double> Measure(string scenario, string tool, Func<Task<double>> run)
    {
        var before = ProcessCpu.Snapshot(watched);
        var value = await run();
        var after = ProcessCpu.Snapshot(watched);
        var key = (scenario, tool);
        var delta = after.ToDictionary(a => a.Key, a => a.Value - before[a.Key]);
        cpu[key] = cpu.TryGetValue(key, out var previous) ? delta.ToDictionary(d => d.Key, d => d.Value + previous[d.Key]) : delta;
        return value;
    }

    async Task Throughput(string scenario, Func<IPEndPoint, Task<double>> run)
    {
        var best = new Dictionary<string, double>();
        for (var round = 0; round < rounds; round++)
        {
            foreach (var tool in round % 2 == 0 ? tools : tools.Reverse())
            {
                var mibPerSecond = await Measure(scenario, tool.Name, () => run(tool.Source));
                best[tool.Name] = Math.Max(best.GetValueOrDefault(tool.Name), mibPerSecond);
            }
        }

        results.Add((scenario, "MiB/s", true, best["devspaces"], best["kubectl"]));
    }

    if (!latencyOnly)
    {
        await Throughput("1 x 256 MiB download", async endpoint =>
        {
            var watch = Stopwatch.StartNew();
            await DownloadAsync(endpoint, singleBytes);
            return singleBytes / 1048576.0 / watch.Elapsed.TotalSeconds;
        });
        await Throughput($"{parallelCount} x 16 MiB parallel downloads", async endpoint =>
        {
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, parallelCount).Select(_ => DownloadAsync(endpoint, parallelBytes)));
            return parallelCount * parallelBytes / 1048576.0 / watch.Elapsed.TotalSeconds;
        });
    }

    // Keep-alive requests: one connection per forwarder, requests in blocks of 50 alternating between them.
    var keepAlive = tools.ToDictionary(t => t.Name, _ => new List<double>());
    var kept = new Dictionary<string, Socket>();
    try
    {
        foreach (var tool in tools)
        {
            kept[tool.Name] = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await kept[tool.Name].ConnectAsync(tool.Http);
        }

        for (var b = 0; b < (requests + 49) / 50; b++)
        {
            foreach (var tool in b % 2 == 0 ? tools : tools.Reverse())
            {
                await Measure("HTTP keep-alive", tool.Name, async () => { keepAlive[tool.Name].AddRange(await KeepAliveLatencyAsync(kept[tool.Name], 50)); return 0; });
            }
        }
    }
    finally
    {
        foreach (var socket in kept.Values)
        {
            socket.Dispose();
        }
    }

    // New connections come in blocks of `block`, alternating the forwarder block by block, so that both see the same
    // load of the shared machine; within a block they are back to back (or 50 ms apart). `connections` per forwarder
    // make the p99 the mean of several slow ones rather than the second slowest of a hundred.
    async Task<Dictionary<string, List<double>>> NewConnectionsAsync(string scenario, int total, TimeSpan pause)
    {
        var samples = tools.ToDictionary(t => t.Name, _ => new List<double>());
        for (var b = 0; b < (total + block - 1) / block; b++)
        {
            foreach (var tool in b % 2 == 0 ? tools : tools.Reverse())
            {
                await Measure(scenario, tool.Name, async () => { samples[tool.Name].AddRange(await NewConnectionLatencyAsync(tool.Http, block, pause)); return 0; });
            }
        }

        return samples;
    }

    var fresh = await NewConnectionsAsync("HTTP new connection", connections, TimeSpan.Zero);
    var spaced = await NewConnectionsAsync("HTTP new connection 50 ms apart", connections / 4, TimeSpan.FromMilliseconds(50));
    foreach (var tool in tools)
    {
        Console.Error.WriteLine($"slowest back-to-back connections through {tool.Name}: {string.Join(", ", fresh[tool.Name].Select((ms, i) => (ms, i)).OrderByDescending(x => x.ms).Take(8).Select(x => $"{x.ms:0.0} ms (#{x.i % block} of its block)"))}");
    }

    foreach (var (label, samples) in new[] { ("HTTP keep-alive", keepAlive), ("HTTP new conn back-to-back", fresh), ("HTTP new conn 50 ms apart", spaced) })
    {
        results.Add(($"{label} p50", "ms", false, Percentile(samples["devspaces"], 0.50), Percentile(samples["kubectl"], 0.50)));
        results.Add(($"{label} p99", "ms", false, Percentile(samples["devspaces"], 0.99), Percentile(samples["kubectl"], 0.99)));
    }

    Console.WriteLine();
    Console.WriteLine($"Port forwarding, `devspaces port-forward` vs `kubectl port-forward`, both as processes, pod {ns}/bench, {Environment.ProcessorCount} cores, best of {rounds} rounds");
    Console.WriteLine($"{"scenario",-34} {"devspaces",14} {"kubectl",14} {"ratio",8}");
    foreach (var r in results)
    {
        var ratio = r.HigherIsBetter ? r.DevSpaces / r.Kubectl : r.Kubectl / r.DevSpaces;
        Console.WriteLine($"{r.Scenario,-34} {Format(r.DevSpaces, r.Unit),14} {Format(r.Kubectl, r.Unit),14} {ratio,7:0.00}x");
    }

    Console.WriteLine("(ratio > 1 means DevSpaces is better: faster throughput or lower latency)");
    Console.WriteLine();
    Console.WriteLine("CPU seconds per scenario (all rounds), where the time goes:");
    Console.WriteLine($"{"scenario / forwarder",-48} {string.Join(" ", watched.Keys.Select(k => $"{k,18}"))}");
    foreach (var ((scenario, tool), used) in cpu)
    {
        Console.WriteLine($"{scenario + " / " + tool,-48} {string.Join(" ", watched.Keys.Select(k => $"{used[k],18:0.00}"))}");
    }

    Console.WriteLine("(client = this bench process: the test client alone; kubelet includes the socat relays it runs per connection)");
}
finally
{
    await client.CoreV1.DeleteNamespaceAsync(ns, new V1DeleteOptions { PropagationPolicy = "Background" });
}

static string Format(double value, string unit) => unit == "ms" ? $"{value:0.000} ms" : $"{value:0.0} {unit}";

static double Percentile(List<double> samples, double p)
{
    var sorted = samples.Order().ToList();
    return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}

static async Task DownloadAsync(IPEndPoint endpoint, long bytes)
{
    using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    await socket.ConnectAsync(endpoint);
    await socket.SendAsync(Encoding.ASCII.GetBytes($"{bytes}\n"));
    var buffer = new byte[256 * 1024];
    long total = 0;
    using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
    for (int n; (n = await socket.ReceiveAsync(buffer, timeout.Token)) > 0;)
    {
        total += n;
    }

    if (total != bytes)
    {
        throw new InvalidOperationException($"Download through {endpoint} ended after {total} of {bytes} bytes.");
    }
}

static async Task<List<double>> KeepAliveLatencyAsync(Socket socket, int count)
{
    var request = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: bench\r\n\r\n");
    var buffer = new byte[4096];
    var samples = new List<double>(count);
    for (var i = 0; i < count; i++)
    {
        var watch = Stopwatch.StartNew();
        await socket.SendAsync(request);
        await ReadResponseAsync(socket, buffer);
        samples.Add(watch.Elapsed.TotalMilliseconds);
    }

    return samples;
}

static async Task<List<double>> NewConnectionLatencyAsync(IPEndPoint endpoint, int count, TimeSpan pause)
{
    var request = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n");
    var buffer = new byte[4096];
    var samples = new List<double>(count);
    for (var i = 0; i < count; i++)
    {
        var watch = Stopwatch.StartNew();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(endpoint);
        await socket.SendAsync(request);
        await ReadResponseAsync(socket, buffer);
        samples.Add(watch.Elapsed.TotalMilliseconds);
        if (pause > TimeSpan.Zero)
        {
            // Think time between requests, as an interactive client has.
            await Task.Delay(pause);
        }
    }

    return samples;
}

// The server answers "pong" with a content-length; a response is complete when the body is in.
static async Task ReadResponseAsync(Socket socket, byte[] buffer)
{
    var length = 0;
    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
    while (true)
    {
        var n = await socket.ReceiveAsync(buffer.AsMemory(length), timeout.Token);
        if (n == 0)
        {
            throw new InvalidOperationException("The connection closed before the response was complete.");
        }

        length += n;
        var text = Encoding.ASCII.GetString(buffer, 0, length);
        if (text.EndsWith("\r\n\r\npong", StringComparison.Ordinal))
        {
            return;
        }
    }
}
