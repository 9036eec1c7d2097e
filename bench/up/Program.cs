using System.Diagnostics;
using System.Security.Cryptography;
using DevSpaces.Contracts;
using DevSpaces.Core.Cluster;
using DevSpaces.Core.Connect;
using DevSpaces.Core.Images;
using DevSpaces.Core.Logging;
using DevSpaces.Core.PortForwarding;
using DevSpaces.Core.Project;
using DevSpaces.Core.Sync;
using DevSpaces.Core.Up;
using k8s;
using k8s.Models;

// Save -> running and the initial sync of devspaces up, each against a baseline of the same run on the same image.
var repo = args.Length > 0 ? args[0] : Directory.GetCurrentDirectory();
var kubeconfig = Environment.GetEnvironmentVariable("DEVSPACES_TEST_KUBECONFIG") ?? Environment.GetEnvironmentVariable("KUBECONFIG")
    ?? throw new InvalidOperationException("Set DEVSPACES_TEST_KUBECONFIG (bench/up/run does).");
var rounds = int.TryParse(Environment.GetEnvironmentVariable("BENCH_ROUNDS"), out var r) ? r : 5;
var parts = (Environment.GetEnvironmentVariable("BENCH_PARTS") ?? "node,sync,dotnet,java").Split(',', StringSplitOptions.TrimEntries);
var loaded = new KubeconfigSource(kubeconfig, null, null).Load();
using var connection = ClusterConnection.Open(loaded, loaded.CurrentContext!);
var client = connection.Client;
using var docker = DockerEngine.Connect();
var ns = $"bench-up-{Guid.NewGuid():N}"[..17];
await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
var folder = Directory.CreateTempSubdirectory("devspaces-bench-up-").FullName;
try
{
    File.WriteAllText(Path.Combine(folder, "package.json"), """{ "name": "bench", "version": "1.0.0", "main": "server.js" }""");
    WriteServer(0);
    ProjectPreparer.Prepare(folder, "bench");
    var settings = new UpSettings { HelperBaseImage = Environment.GetEnvironmentVariable("DEVSPACES_HELPER_BASE_IMAGE") ?? "devspaces.local/debian:bookworm" };
    var builder = new ImageBuilder(docker);
    var delivery = new ImageDelivery(docker, client, new ImageDeliverySettings());
    var up = new UpService(connection, docker, builder, delivery, new HelperImage(builder, delivery, settings), new WebSocketPodPortConnector(client), settings, new NullLog());
    var buildArgs = new Dictionary<string, string> { ["NODE_IMAGE"] = Environment.GetEnvironmentVariable("BENCH_NODE_IMAGE") ?? "devspaces.local/node:20" };
    var started = Stopwatch.StartNew();
    var session = await up.StartAsync(new UpRequest(folder, ns, null, true, buildArgs), _ => { }, CancellationToken.None);
    Console.WriteLine($"up (build, deploy, ready, forward): {started.Elapsed.TotalSeconds:0.0} s");

    // The baseline: the same image as a plain Deployment whose shell loop restarts node when it is killed.
    await Kubectl("-n", ns, "create", "deployment", "baseline", $"--image={session.Image}", "--", "sh", "-c", "cd /app; while true; do node server.js & echo $! > /tmp/app.pid; wait; done");
    await Kubectl("-n", ns, "rollout", "status", "deployment/baseline", "--timeout=180s");
    var pod = (await Kubectl("-n", ns, "get", "pods", "-l", "app=baseline", "--field-selector=status.phase=Running", "-o", "jsonpath={.items[0].metadata.name}")).Trim();
    var forward = await PortForwardSession.StartAsync(client, new WebSocketPodPortConnector(client), new PortForwardRequest(new PortForwardTarget(PortForwardTargetKind.Pod, ns, pod), [new PortMapping(0, "8080")]), null, CancellationToken.None);
    var baselineUrl = $"http://127.0.0.1:{forward.Ports[0].LocalEndPoint.Port}/";
    await AnswerAsync(baselineUrl, "v0");

    var ours = new List<double>();
    var theirs = new List<double>();
    var version = 0;
    for (var i = 0; i < (parts.Contains("node") ? rounds : 0); i++)
    {
        version++;
        var time = Stopwatch.StartNew();
        WriteServer(version);
        await AnswerAsync(session.Url!, $"v{version}");
        ours.Add(time.Elapsed.TotalMilliseconds);

        time.Restart();
        await Kubectl("-n", ns, "cp", Path.Combine(folder, "server.js"), $"{pod}:/app/server.js");
        await Kubectl("-n", ns, "exec", pod, "--", "sh", "-c", "kill $(cat /tmp/app.pid)");
        await AnswerAsync(baselineUrl, $"v{version}");
        theirs.Add(time.Elapsed.TotalMilliseconds);
    }

    if (parts.Contains("node"))
    {
        Console.WriteLine($"save -> running, Node.js, median of {rounds}: devspaces up {Median(ours):0} ms; kubectl cp + exec restart {Median(theirs):0} ms; ratio (baseline / up) {Median(theirs) / Median(ours):0.00}");
    }

    var upPod = session.Pod;
    await session.DisposeAsync();
    if (parts.Contains("sync"))
    {
        // Initial sync: 2,000 files / 50 MB of random content, sent to the helper of the up pod by a sync session of its
        // own (as up does when it starts), vs tar through kubectl exec into the baseline pod, in BENCH_SYNC_ROUNDS
        // (default 8) rounds of both.
        var assets = Directory.CreateTempSubdirectory("devspaces-bench-assets-").FullName;
        for (var i = 0; i < 2000; i++)
        {
            var sub = Path.Combine(assets, "assets", $"d{i % 50}");
            Directory.CreateDirectory(sub);
            File.WriteAllBytes(Path.Combine(sub, $"f{i}.bin"), RandomNumberGenerator.GetBytes(25 * 1024));
        }

        var secret = await client.CoreV1.ReadNamespacedSecretAsync(UpLabels.KeySecret("bench"), ns);
        var key = System.Text.Encoding.UTF8.GetString(secret.Data[UpLabels.KeySecretKey]);
        var syncRounds = int.TryParse(Environment.GetEnvironmentVariable("BENCH_SYNC_ROUNDS"), out var sr) ? sr : 8;
        var oursSync = new List<double>();
        var theirsSync = new List<double>();
        for (var round = 0; round < syncRounds; round++)
        {
            // Both destinations start each round empty (untimed): the last round's tree is moved aside, not deleted, as
            // inodes freed seconds before make ext4's allocation of new ones slower (each round would be slower than the
            // last). The two take turns at going first, so neither gets the quieter half of the round.
            await Kubectl("-n", ns, "exec", upPod, "--", "sh", "-c", round == 0 ? "find /app -mindepth 1 -delete; mkdir /tmp/old" : $"mv /app/assets /tmp/old/{round}");
            await Kubectl("-n", ns, "exec", pod, "--", "sh", "-c", round == 0 ? "mkdir /tmp/old" : $"mv /tmp/assets /tmp/old/{round}");
            double? ourTime = null, theirTime = null;
            for (var turn = 0; turn < 2; turn++)
            {
                if ((turn == 0) == (round % 2 == 0))
                {
                    ourTime = await OurSyncAsync();
                }
                else
                {
                    var time = Stopwatch.StartNew();
                    await Shell($"tar -C {assets} -cf - assets | kubectl --kubeconfig {kubeconfig} -n {ns} exec -i {pod} -- tar -C /tmp -xf -");
                    theirTime = time.Elapsed.TotalMilliseconds;
                }
            }

            oursSync.Add(ourTime!.Value);
            theirsSync.Add(theirTime!.Value);
            Console.WriteLine($"  round {round + 1} ({(round % 2 == 0 ? "ours first" : "tar first")}): devspaces up {ourTime:0} ms; tar | kubectl exec tar {theirTime:0} ms; ratio {theirTime / ourTime:0.00}");
        }

        Directory.Delete(assets, true);
        // The helper's own account of each batch: how long it took from the first frame to the last file in place.
        foreach (var line in (await Kubectl("-n", ns, "logs", upPod)).Split('\n').Where(l => l.Contains(" batch ", StringComparison.Ordinal)))
        {
            Console.WriteLine($"  {line}");
        }

        var ratios = oursSync.Zip(theirsSync, (o, t) => t / o).ToList();
        Console.WriteLine($"initial sync of 2,000 files / 50 MB, {syncRounds} rounds: devspaces up {oursSync.Min():0}-{oursSync.Max():0} ms (median {Median(oursSync):0}); tar | kubectl exec tar {theirsSync.Min():0}-{theirsSync.Max():0} ms (median {Median(theirsSync):0}); per-round ratio (baseline / up) {ratios.Min():0.00}-{ratios.Max():0.00}, median {Median(ratios):0.00}");

        // One sync session to the helper of the up pod, as up starts one: a connection on the SPDY session to the pod
        // (up dials that session while the pod starts, so it is dialed here before the clock starts), the listing, the
        // plan, one batch, the tree hash back.
        async Task<double> OurSyncAsync()
        {
            await using var helperChannels = SessionPodChannelOpener.ForCluster(client);
            await helperChannels.WarmAsync(ns, upPod);
            var time = Stopwatch.StartNew();
            TimeSpan scan, apply;
            var channel = await helperChannels.OpenAsync(ns, upPod, DevSpaces.Helper.Protocol.HelperProtocol.DefaultPort, CancellationToken.None);
            await using (var helper = await HelperClient.ConnectAsync(new PodPortStream(channel), key, CancellationToken.None))
            {
                var scanner = new FolderScanner(assets, SyncRules.ForFolder(assets));
                await using var sync = new SyncSession(scanner, helper, new GlobUpdateRules([]), SyncTimings.Default, (_, _) => Task.CompletedTask);
                var first = await sync.StartAsync(CancellationToken.None);
                (scan, apply) = (first.ScanTime, first.ApplyTime);
                if (first.Result?.FileCount != 2000)
                {
                    throw new InvalidOperationException($"the container holds {first.Result?.FileCount} files after the sync, not 2000");
                }
            }

            var elapsed = time.Elapsed.TotalMilliseconds;
            Console.WriteLine($"  initial sync: scan and hash {scan.TotalMilliseconds:0} ms, send and apply {apply.TotalMilliseconds:0} ms");
            return elapsed;
        }
    }

    await forward.DisposeAsync();

    var compiledRounds = int.TryParse(Environment.GetEnvironmentVariable("BENCH_COMPILED_ROUNDS"), out var c) ? c : 3;
    if (parts.Contains("dotnet"))
    {
        await CompiledAsync(".NET", "api", "Program.cs", "status = \"ok\"", v => $"status = \"{v}\"", new() { ["SDK_IMAGE"] = "devspaces.local/dotnet-sdk:10.0", ["RUNTIME_IMAGE"] = "devspaces.local/dotnet-aspnet:10.0" });
    }

    if (parts.Contains("java"))
    {
        await CompiledAsync("Java", "quotes", "src/io/devspaces/sample/quotes/QuotesServer.java", "health.put(\"status\", \"ok\")", v => $"health.put(\"status\", \"{v}\")", new() { ["JDK_IMAGE"] = "devspaces.local/java:17", ["JRE_IMAGE"] = "devspaces.local/java:17" });
    }

    // Save -> running for a compiled sample: up compiles here and copies the changed output (run.compile) vs the usual
    // loop for compiled code, docker build (with its layer cache) + kubectl set image + rollout status. The baseline's
    // clock stops when the new pod is ready, before any request: that favours it.
    async Task CompiledAsync(string runtime, string sample, string source, string marker, Func<string, string> edit, Dictionary<string, string> sampleArgs)
    {
        var sampleFolder = Path.Combine(Directory.CreateTempSubdirectory("devspaces-bench-compiled-").FullName, sample);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(repo, "samples", sample), "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(Path.Combine(repo, "samples", sample), file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(sampleFolder, relative))!);
            File.Copy(file, Path.Combine(sampleFolder, relative));
        }

        ProjectPreparer.Prepare(sampleFolder, sample);
        var sourcePath = Path.Combine(sampleFolder, source);
        var original = File.ReadAllText(sourcePath);
        // Which compile path each round took, as up reports it, and when (since the save) it compiled and restarted.
        var paths = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var round = new Stopwatch();
        await using var compiled = await up.StartAsync(new UpRequest(sampleFolder, ns, null, true, sampleArgs), e =>
        {
            if (e.Kind == UpEventKind.Step && e.Message.Contains("compiling on this machine", StringComparison.Ordinal))
            {
                paths.Enqueue($"{e.Message[(e.Message.IndexOf('(', StringComparison.Ordinal) + 1)..].TrimEnd(')')} (from {round.ElapsedMilliseconds} ms)");
            }
            else if (e.Kind is UpEventKind.Synced or UpEventKind.Restarted or UpEventKind.BuildFailed)
            {
                paths.Enqueue($"{e.Kind} at {round.ElapsedMilliseconds} ms");
            }
        }, CancellationToken.None);
        await AnswerContainingAsync(compiled.Url! + "healthz", "\"ok\"");
        var baseline = $"baseline-{sample}";
        await Kubectl("-n", ns, "create", "deployment", baseline, $"--image={compiled.Image}");
        await Kubectl("-n", ns, "rollout", "status", $"deployment/{baseline}", "--timeout=180s");

        // One untimed round of each warms the compiler server and Docker's layer cache, as a working day would have.
        var oursCompiled = new List<double>();
        var theirsCompiled = new List<double>();
        for (var i = 0; i <= compiledRounds; i++)
        {
            // Unique to this run: an edit an earlier run made would find its image build in Docker's layer cache.
            var marked = $"v{i}-{ns[^8..]}";
            var time = Stopwatch.StartNew();
            round.Restart();
            File.WriteAllText(sourcePath, original.Replace(marker, edit(marked), StringComparison.Ordinal));
            await AnswerContainingAsync(compiled.Url! + "healthz", $"\"{marked}\"");
            var oursTime = time.Elapsed.TotalMilliseconds;
            var ran = new List<string>();
            while (paths.TryDequeue(out var path))
            {
                ran.Add(path);
            }

            Console.WriteLine($"  {runtime} round {i}{(i == 0 ? " (untimed)" : "")}: answered at {oursTime:0} ms; compiled by {string.Join("; ", ran)}");

            time.Restart();
            var tag = $"bench-{sample}:{marked}-{ns}";
            await Run("docker", ["build", "-q", "-t", tag, .. sampleArgs.SelectMany(a => new[] { "--build-arg", $"{a.Key}={a.Value}" }), sampleFolder]);
            await Kubectl("-n", ns, "set", "image", $"deployment/{baseline}", $"*={tag}");
            await Kubectl("-n", ns, "rollout", "status", $"deployment/{baseline}", "--timeout=300s");
            var theirsTime = time.Elapsed.TotalMilliseconds;
            if (i > 0)
            {
                oursCompiled.Add(oursTime);
                theirsCompiled.Add(theirsTime);
            }
        }

        Console.WriteLine($"save -> running, {runtime}, median of {compiledRounds}: devspaces up (compile here, copy, restart) {Median(oursCompiled):0} ms; docker build + rollout {Median(theirsCompiled):0} ms; ratio (baseline / up) {Median(theirsCompiled) / Median(oursCompiled):0.00}");
        Directory.Delete(Path.GetDirectoryName(sampleFolder)!, true);
    }
}
finally
{
    await client.CoreV1.DeleteNamespaceAsync(ns);
    Directory.Delete(folder, true);
}

void WriteServer(int v) => File.WriteAllText(Path.Combine(folder, "server.js"),
    $"require('http').createServer((q, s) => s.end('v{v}')).listen(process.env.PORT || 8080);\n");

static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

async Task AnswerContainingAsync(string url, string expected)
{
    using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
    await WaitAsync(async () =>
    {
        try
        {
            return (await http.GetStringAsync(url)).Contains(expected, StringComparison.Ordinal);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    });
}

async Task AnswerAsync(string url, string expected)
{
    using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
    await WaitAsync(async () =>
    {
        try
        {
            return await http.GetStringAsync(url) == expected;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    });
}

static async Task WaitAsync(Func<Task<bool>> condition)
{
    var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
    while (!await condition())
    {
        if (DateTime.UtcNow > deadline)
        {
            throw new TimeoutException("the benchmark's condition was not met within 3 minutes");
        }

        await Task.Delay(20);
    }
}

async Task<string> Kubectl(params string[] arguments) => await Run("kubectl", ["--kubeconfig", kubeconfig, .. arguments]);

static Task<string> Shell(string command) => Run("bash", ["-c", $"set -o pipefail; {command}"]);

static async Task<string> Run(string file, string[] arguments)
{
    var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var argument in arguments)
    {
        start.ArgumentList.Add(argument);
    }

    using var process = Process.Start(start)!;
    var output = process.StandardOutput.ReadToEndAsync();
    var error = process.StandardError.ReadToEndAsync();
    await process.WaitForExitAsync();
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await error}");
    }

    return await output;
}
