using System.Diagnostics;
using System.Text.RegularExpressions;
using DevSpaces.ClusterTests.Debug;
using DevSpaces.Core.Cluster;
using DevSpaces.Core.Debug;
using DevSpaces.Core.Images;
using DevSpaces.Core.Logging;
using DevSpaces.Core.PortForwarding;
using DevSpaces.Core.Project;
using DevSpaces.Core.Up;
using k8s;
using k8s.Models;

// Attach -> breakpoint bound through DevSpaces' debug forward vs kubectl port-forward + the same attach, for Node.js and
// Java, each against its baseline in the same run; then a Node.js process held at a breakpoint for 2 minutes.
var repo = args.Length > 0 ? args[0] : Directory.GetCurrentDirectory();
var kubeconfig = Environment.GetEnvironmentVariable("DEVSPACES_TEST_KUBECONFIG") ?? Environment.GetEnvironmentVariable("KUBECONFIG")
    ?? throw new InvalidOperationException("Set DEVSPACES_TEST_KUBECONFIG (bench/debug/run does).");
var rounds = int.TryParse(Environment.GetEnvironmentVariable("BENCH_ROUNDS"), out var r) ? r : 5;
var loaded = new KubeconfigSource(kubeconfig, null, null).Load();
using var connection = ClusterConnection.Open(loaded, loaded.CurrentContext!);
var client = connection.Client;
using var docker = DockerEngine.Connect();
var ns = $"bench-debug-{Guid.NewGuid():N}"[..20];
await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
var settings = new UpSettings { HelperBaseImage = Environment.GetEnvironmentVariable("DEVSPACES_HELPER_BASE_IMAGE") ?? "devspaces.local/debian:bookworm" };
var builder = new ImageBuilder(docker);
var delivery = new ImageDelivery(docker, client, new ImageDeliverySettings());
var up = new UpService(connection, docker, builder, delivery, new HelperImage(builder, delivery, settings), new WebSocketPodPortConnector(client), settings, new NullLog());
var folders = new List<string>();
try
{
    // Node.js: prep's manifest with a liveness probe added, which would restart a paused process within seconds.
    var node = NewFolder("node");
    File.WriteAllText(Path.Combine(node, "package.json"), """{ "name": "hello", "version": "1.0.0", "main": "server.js" }""");
    File.WriteAllText(Path.Combine(node, "server.js"), """
        const http = require('http');
        http.createServer((req, res) => {
          const answer = `node ${req.url}`;
          res.end(answer);
        }).listen(process.env.PORT || 8080);
        """);
    ProjectPreparer.Prepare(node, "hello");
    var manifest = Path.Combine(node, "k8s", "hello.yaml");
    File.WriteAllText(manifest, Regex.Replace(File.ReadAllText(manifest), @"^( *)readinessProbe:\n", m =>
        $"{m.Groups[1].Value}livenessProbe:\n{m.Groups[1].Value}  httpGet:\n{m.Groups[1].Value}    path: /\n{m.Groups[1].Value}    port: http\n{m.Groups[1].Value}  periodSeconds: 2\n{m.Groups[1].Value}  failureThreshold: 2\n" + m.Value, RegexOptions.Multiline));
    var time = Stopwatch.StartNew();
    var nodeSession = await up.StartAsync(new UpRequest(node, ns, null, true, new Dictionary<string, string> { ["NODE_IMAGE"] = "devspaces.local/node:20" }, new UpDebug(false, 0)), _ => { }, CancellationToken.None);
    Console.WriteLine($"up --debug, Node.js (build, deploy, forward): {time.Elapsed.TotalSeconds:0.0} s");
    var nodeLine = 3;
    var ours = new List<double>();
    var theirs = new List<double>();
    for (var i = 0; i < rounds; i++)
    {
        time.Restart();
        await BindNodeBreakpointAsync(nodeSession.Debug!.LocalPort!.Value);
        ours.Add(time.Elapsed.TotalMilliseconds);

        time.Restart();
        await using (var forward = await KubectlPortForward.StartAsync(kubeconfig, ns, nodeSession.Pod, 9229))
        {
            await BindNodeBreakpointAsync(forward.LocalPort);
        }

        theirs.Add(time.Elapsed.TotalMilliseconds);
    }

    Report("Node.js", "CDP client", ours, theirs);
    await HoldAtBreakpointAsync(nodeSession);
    await nodeSession.DisposeAsync();

    var java = NewFolder("java");
    File.WriteAllText(Path.Combine(java, "Hello.java"), """
        import com.sun.net.httpserver.HttpServer;
        import java.net.InetSocketAddress;

        public class Hello {
            public static void main(String[] args) throws Exception {
                HttpServer server = HttpServer.create(new InetSocketAddress(Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"))), 0);
                server.createContext("/", exchange -> {
                    byte[] body = ("java " + exchange.getRequestURI().getPath()).getBytes();
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                    exchange.close();
                });
                server.start();
            }
        }
        """);
    ProjectPreparer.Prepare(java, "hello-java");
    time.Restart();
    await using var javaSession = await up.StartAsync(
        new UpRequest(java, ns, null, true, new Dictionary<string, string> { ["JDK_IMAGE"] = "devspaces.local/java:17", ["JRE_IMAGE"] = "devspaces.local/java:17" }, new UpDebug(false, 0)), _ => { }, CancellationToken.None);
    Console.WriteLine($"up --debug, Java (compile, build, deploy, forward): {time.Elapsed.TotalSeconds:0.0} s");
    ours.Clear();
    theirs.Clear();
    for (var i = 0; i < rounds; i++)
    {
        await JdwpListensAsync(javaSession.Pod);
        time.Restart();
        await BindJavaBreakpointAsync(javaSession.Debug!.LocalPort!.Value);
        ours.Add(time.Elapsed.TotalMilliseconds);

        await JdwpListensAsync(javaSession.Pod);
        time.Restart();
        await using (var forward = await KubectlPortForward.StartAsync(kubeconfig, ns, javaSession.Pod, 5005))
        {
            await BindJavaBreakpointAsync(forward.LocalPort);
        }

        theirs.Add(time.Elapsed.TotalMilliseconds);
    }

    Report("Java", "jdb -attach", ours, theirs);

    // A breakpoint in the request handler bound through the V8 inspector on the port (the attach F5 makes).
    async Task BindNodeBreakpointAsync(int port)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var target = await WaitAsync(async () => await InspectorClient.FirstTargetAsync(port, cts.Token), cts.Token);
        await using var inspector = await InspectorClient.ConnectAsync(target, cts.Token);
        await inspector.CallAsync("Debugger.enable", null, cts.Token);
        var bound = await inspector.CallAsync("Debugger.setBreakpointByUrl", new { lineNumber = nodeLine - 1, urlRegex = @"server\.js$" }, cts.Token);
        if (bound["locations"]!.AsArray().Count == 0)
        {
            throw new InvalidOperationException($"the breakpoint at server.js:{nodeLine} did not bind: {bound.ToJsonString()}");
        }

        await inspector.CallAsync("Debugger.removeBreakpoint", new { breakpointId = bound["breakpointId"]!.GetValue<string>() }, cts.Token);
    }

    // jdb attached and its breakpoint set in the loaded class (jdb says "Set breakpoint", not "Deferring").
    static async Task BindJavaBreakpointAsync(int port)
    {
        var (jdb, at) = await JdbSession.AttachAsync(port, TimeSpan.FromSeconds(60));
        using var attached = jdb;
        jdb.Send("stop at Hello:8");
        await jdb.WaitForAsync("Set breakpoint Hello:8", at, TimeSpan.FromSeconds(30));
        jdb.Send("clear Hello:8");
        jdb.Send("exit");
    }

    // Untimed, before each attach: the JDWP agent stops listening while a debugger is attached and takes a moment to
    // listen again after it leaves. kubectl port-forward ends at the first connection the pod refuses, so both attaches
    // start once the agent listens, read from the pod's socket table (connecting would be a debugger of its own).
    async Task JdwpListensAsync(string pod)
    {
        var listening = new Regex(@"^\s*\d+:\s+[0-9A-F]+:138D\s+[0-9A-F]+:[0-9A-F]+\s+0A\s", RegexOptions.Multiline);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var cat = Process.Start(new ProcessStartInfo("kubectl", ["--kubeconfig", kubeconfig, "-n", ns, "exec", pod, "--", "cat", "/proc/net/tcp", "/proc/net/tcp6"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var table = await cat.StandardOutput.ReadToEndAsync();
            await cat.WaitForExitAsync();
            if (listening.IsMatch(table))
            {
                return;
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new InvalidOperationException($"the JDWP agent in {pod} does not listen on 5005 after 60 s: {table} {await cat.StandardError.ReadToEndAsync()}");
            }

            await Task.Delay(100);
        }
    }

    // Held at a breakpoint for 2 minutes: the liveness probe of the original manifest would have restarted the container
    // after 4 s; the debug pod has none, so the same pod and container are there, the debugger's connection is still
    // open, and the request is answered after resuming through it. A failed hold is reported, and the run goes on.
    async Task HoldAtBreakpointAsync(UpSession session)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var pod = session.Pod;
        var held = new Stopwatch();
        try
        {
            var target = await WaitAsync(async () => await InspectorClient.FirstTargetAsync(session.Debug!.LocalPort!.Value, cts.Token), cts.Token);
            await using var inspector = await InspectorClient.ConnectAsync(target, cts.Token);
            await inspector.CallAsync("Debugger.enable", null, cts.Token);
            await inspector.CallAsync("Debugger.setBreakpointByUrl", new { lineNumber = nodeLine - 1, urlRegex = @"server\.js$" }, cts.Token);
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(4) };
            var request = http.GetStringAsync(new Uri(new Uri(session.Url!), "/held"), cts.Token);
            await inspector.WaitForEventAsync("Debugger.paused", cts.Token);
            var before = (await client.CoreV1.ReadNamespacedPodAsync(pod, ns, cancellationToken: cts.Token)).Status.ContainerStatuses.Single(c => c.Name == "hello").ContainerID;
            held.Start();
            await Task.WhenAny(Task.Delay(TimeSpan.FromMinutes(2), cts.Token), inspector.Ended);
            var connection = inspector.Ended.IsCompleted ? $"ENDED after {held.Elapsed.TotalSeconds:0} s" : "open";
            var live = await client.CoreV1.ReadNamespacedPodAsync(pod, ns, cancellationToken: cts.Token);
            var status = live.Status.ContainerStatuses.Single(c => c.Name == "hello");
            var container = live.Spec.Containers.Single(c => c.Name == "hello");
            Console.WriteLine(
                $"held at a breakpoint for {held.Elapsed.TotalSeconds:0} s: pod {(live.Metadata.DeletionTimestamp == null && session.Pod == pod ? "the same" : "REPLACED")} ({pod}), " +
                $"container {(status.ContainerID == before ? "the same" : "REPLACED")}, restarts {status.RestartCount}, " +
                $"probes on it: {(container.LivenessProbe == null && container.ReadinessProbe == null && container.StartupProbe == null ? "none" : "SOME")}, debugger connection {connection}");
            await inspector.CallAsync("Debugger.resume", null, cts.Token);
            Console.WriteLine($"resumed over the same connection; request answered: {await request}");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cts.IsCancellationRequested)
        {
            Console.WriteLine($"held at a breakpoint: FAILED after {held.Elapsed.TotalSeconds:0} s paused: {e.GetType().Name}: {e.Message}");
        }
    }
}
finally
{
    await client.CoreV1.DeleteNamespaceAsync(ns);
    foreach (var folder in folders)
    {
        Directory.Delete(folder, true);
    }
}

string NewFolder(string name)
{
    var folder = Directory.CreateTempSubdirectory($"devspaces-bench-debug-{name}-").FullName;
    folders.Add(folder);
    return folder;
}

static void Report(string runtime, string attach, List<double> ours, List<double> theirs) =>
    Console.WriteLine(
        $"attach -> breakpoint bound, {runtime}, median of {ours.Count}: devspaces (the forward up --debug keeps) {Median(ours):0} ms; " +
        $"kubectl port-forward + {attach} {Median(theirs):0} ms; ratio (baseline / devspaces) {Median(theirs) / Median(ours):0.00}");

static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

static async Task<T> WaitAsync<T>(Func<Task<T>> attempt, CancellationToken cancellationToken)
{
    while (true)
    {
        try
        {
            return await attempt();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or NullReferenceException or ArgumentOutOfRangeException && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(20, cancellationToken);
        }
    }
}

/// <summary><c>kubectl port-forward pod/NAME :PORT</c>, as a user attaching by hand runs it; ready once it names its local port.</summary>
internal sealed partial class KubectlPortForward : IAsyncDisposable
{
    private readonly Process process;

    private KubectlPortForward(Process process, int localPort)
    {
        this.process = process;
        LocalPort = localPort;
    }

    public int LocalPort { get; }

    public static async Task<KubectlPortForward> StartAsync(string kubeconfig, string ns, string pod, int port)
    {
        var start = new ProcessStartInfo("kubectl", ["--kubeconfig", kubeconfig, "-n", ns, "port-forward", $"pod/{pod}", $":{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start)!;
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (ForwardingLine().Match(line) is { Success: true } match)
            {
                return new KubectlPortForward(process, int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        throw new InvalidOperationException($"kubectl port-forward ended without forwarding: {await process.StandardError.ReadToEndAsync()}");
    }

    public async ValueTask DisposeAsync()
    {
        process.Kill();
        await process.WaitForExitAsync();
        process.Dispose();
    }

    [GeneratedRegex(@"^Forwarding from 127\.0\.0\.1:(\d+) ->")]
    private static partial Regex ForwardingLine();
}
