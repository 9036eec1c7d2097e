using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using DevSpaces.ClusterTests.Support;
using DevSpaces.ClusterTests.Up;
using DevSpaces.Contracts;
using DevSpaces.Core.Cluster;
using DevSpaces.Core.Debug;
using DevSpaces.Core.Images;
using DevSpaces.Core.Logging;
using DevSpaces.Core.PortForwarding;
using DevSpaces.Core.Project;
using DevSpaces.Core.Up;
using Docker.DotNet;
using k8s;
using k8s.Models;

namespace DevSpaces.ClusterTests.Debug;

/// <summary>
/// <c>up --debug</c> of a Node.js service written by <c>prep</c> (with a liveness probe added) in its own space: the
/// V8 inspector is reached through the forward, a breakpoint hits and shows a request's value, a process paused there for
/// two minutes keeps its pod, its container and its debugger connection, and a sync restart brings the inspector back on
/// the same local port.
/// </summary>
public partial class NodeDebugClusterTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    // How long a process stays paused at a breakpoint in the hold test: longer than any idle or keep-alive timeout on the
    // way (a WebSocket client's 30 s keep-alive, the manifest's liveness probe's 4 s).
    private static readonly TimeSpan Hold = TimeSpan.FromMinutes(2);
    private static readonly Dictionary<string, string> LocalBases = new() { ["NODE_IMAGE"] = "devspaces.local/node:20" };

    private readonly ConcurrentQueue<UpEvent> events = new();
    private UpSpace space = null!;

    private TestCluster cluster => space.Cluster;

    private DockerClient docker => space.Docker;

    private string ns => space.Namespace;

    private string folder => space.Folder;
    private UpSession session = null!;

    private int DebugPort => session.Debug!.LocalPort!.Value;

    [OneTimeSetUp]
    public async Task UpTheServiceInDebugMode()
    {
        using var cts = new CancellationTokenSource(Timeout);
        space = await UpSpace.CreateAsync("debug-node", cts.Token);
        File.WriteAllText(Path.Combine(folder, "package.json"), """{ "name": "hello", "version": "1.0.0", "main": "server.js" }""");
        WriteServer("v1");
        ProjectPreparer.Prepare(folder, "hello");
        AddLivenessProbe(Path.Combine(folder, "k8s", "hello.yaml"));
        session = await CreateService().StartAsync(new UpRequest(folder, ns, null, true, LocalBases, new UpDebug(false, 0)), events.Enqueue, cts.Token);
    }

    [OneTimeTearDown]
    public async Task RemoveTheSpace()
    {
        if (session != null)
        {
            await session.DisposeAsync();
        }

        if (space != null)
        {
            await space.DisposeAsync();
        }
    }

    [Test, Order(1)]
    public async Task Up_Debug_Forwards_A_V8_Inspector_And_The_Container_Has_No_Probes()
    {
        Assert.That(session.Debug, Is.Not.Null);
        Assert.That(session.Debug!.Runtime, Is.EqualTo(DebugRuntime.Node));
        Assert.That(session.Debug.RemotePort, Is.EqualTo(9229));
        Assert.That(session.Debug.RemoteRoot, Is.EqualTo("/app"));
        string? url = null;
        await ClusterWaits.ConditionAsync(async () => (url = await TargetAsync()) != null, TimeSpan.FromSeconds(30), () => "GET /json/list on the forwarded debug port answers with a webSocketDebuggerUrl");
        Assert.That(url, Does.StartWith($"ws://127.0.0.1:{DebugPort}/"));

        var deployment = await cluster.Client.AppsV1.ReadNamespacedDeploymentAsync("hello", ns);
        var container = deployment.Spec.Template.Spec.Containers.Single();
        Assert.That(container.Env.Single(e => e.Name == "NODE_OPTIONS").Value, Is.EqualTo("--inspect=127.0.0.1:9229"));
        Assert.That(container.LivenessProbe, Is.Null, "the manifest's liveness probe is left out in debug mode");
        Assert.That(container.ReadinessProbe, Is.Null);
        Assert.That(container.StartupProbe, Is.Null);
    }

    [Test, Order(2)]
    public async Task A_Process_Held_At_A_Breakpoint_For_Two_Minutes_Keeps_Its_Pod_And_Its_Debugger_Connection()
    {
        using var cts = new CancellationTokenSource(Hold + Timeout);
        var pod = session.Pod;
        string? target = null;
        await ClusterWaits.ConditionAsync(async () => (target = await TargetAsync()) != null, TimeSpan.FromSeconds(30), () => "the inspector answers");
        await using var inspector = await InspectorClient.ConnectAsync(target!, cts.Token);
        await inspector.CallAsync("Debugger.enable", null, cts.Token);
        var line = File.ReadAllLines(Path.Combine(folder, "server.js")).ToList().FindIndex(l => l.Contains("res.end(`version", StringComparison.Ordinal));
        var breakpoint = await inspector.CallAsync("Debugger.setBreakpointByUrl", new { lineNumber = line, urlRegex = @"server\.js$" }, cts.Token);
        Assert.That(breakpoint["breakpointId"]!.GetValue<string>(), Is.Not.Empty);

        using var http = new HttpClient { Timeout = Hold + Timeout };
        var request = http.GetStringAsync(new Uri(new Uri(session.Url!), "/paused-here"), cts.Token);
        var paused = await inspector.WaitForEventAsync("Debugger.paused", cts.Token);
        var frame = paused["callFrames"]![0]!["callFrameId"]!.GetValue<string>();
        var value = await inspector.CallAsync("Debugger.evaluateOnCallFrame", new { callFrameId = frame, expression = "req.url" }, cts.Token);
        Assert.That(value["result"]!["value"]!.GetValue<string>(), Is.EqualTo("/paused-here"), "a local variable's value from the pod");
        var pid = (await inspector.CallAsync("Debugger.evaluateOnCallFrame", new { callFrameId = frame, expression = "process.pid" }, cts.Token))["result"]!["value"]!.GetValue<int>();
        var container = (await cluster.Client.CoreV1.ReadNamespacedPodAsync(pod, ns, cancellationToken: cts.Token)).Status.ContainerStatuses.Single(c => c.Name == "hello").ContainerID;

        // Staying paused is what is tested, so the hold is the test's subject, not a synchronisation: it ends early with
        // the first thing a pause must not cause (the pod replaced or restarted by its probes, the debugger's connection
        // closed, the request answered while paused).
        var held = Stopwatch.StartNew();
        var podChange = FirstChangeToAsync(pod, container, Hold);
        var ended = await Task.WhenAny(podChange, inspector.Ended, request);
        Assert.That(ended != inspector.Ended, $"the debugger's connection ended after {held.Elapsed.TotalSeconds:0} s paused: {inspector.Ended.Exception?.InnerException?.Message ?? "closed by the inspector"}");
        Assert.That(ended != request, $"the request was answered after {held.Elapsed.TotalSeconds:0} s while paused at the breakpoint");
        Assert.That(await podChange, Is.Null, $"after {held.Elapsed.TotalSeconds:0} s paused");
        Assert.That(held.Elapsed, Is.GreaterThan(Hold - TimeSpan.FromSeconds(1)), "the pause lasted the whole hold");
        Assert.That(session.Pod, Is.EqualTo(pod), "the session still forwards to the paused pod");
        var live = await cluster.Client.CoreV1.ReadNamespacedPodAsync(pod, ns, cancellationToken: cts.Token);
        Assert.That(live.Spec.Containers.Single(c => c.Name == "hello").LivenessProbe, Is.Null, "the running pod, not only its template, has no probe that could kill it");

        await inspector.CallAsync("Debugger.removeBreakpoint", new { breakpointId = breakpoint["breakpointId"]!.GetValue<string>() }, cts.Token);
        await inspector.CallAsync("Debugger.resume", null, cts.Token);
        Assert.That(await request, Is.EqualTo($"version v1 pid {pid}"), "the request that hit the breakpoint is answered once resumed, by the same process");
        Assert.That(session.Pod, Is.EqualTo(pod));
    }

    [Test, Order(3)]
    public async Task A_Sync_Restart_Brings_The_Inspector_Back_On_The_Same_Local_Port()
    {
        string? before = null;
        await ClusterWaits.ConditionAsync(async () => (before = await TargetAsync()) != null, TimeSpan.FromSeconds(30), () => "the inspector answers");
        var port = DebugPort;
        WriteServer("v2");
        await ClusterWaits.ConditionAsync(() => Task.FromResult(events.Any(e => e.Kind == UpEventKind.Restarted)), TimeSpan.FromSeconds(60), () => $"a restart is reported; events: {Describe()}");
        string? after = null;
        await ClusterWaits.ConditionAsync(async () => (after = await TargetAsync()) != null && after != before, TimeSpan.FromSeconds(30), () => $"the restarted process's inspector answers on 127.0.0.1:{port} with a new target (before: {before}, last: {after})");
        Assert.That(DebugPort, Is.EqualTo(port));
        Assert.That(events.Any(e => e.Kind == UpEventKind.Log && e.Message.Contains("Debugger listening on ws://127.0.0.1:9229", StringComparison.Ordinal)), Is.True, "node says where its inspector listens");
    }

    private async Task<string?> TargetAsync()
    {
        try
        {
            return await InspectorClient.FirstTargetAsync(DebugPort, CancellationToken.None);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or NullReferenceException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>
    /// Watches the namespace's pods for <paramref name="hold"/>: what first shows the paused pod replaced, ending or its
    /// container restarted, or null when nothing did.
    /// </summary>
    private async Task<string?> FirstChangeToAsync(string pod, string container, TimeSpan hold)
    {
        using var cts = new CancellationTokenSource(hold);
        try
        {
            while (true)
            {
                var listed = await cluster.Client.CoreV1.ListNamespacedPodAsync(ns, cancellationToken: cts.Token);
                if (listed.Items.Select(p => Change(p, WatchEventType.Added)).FirstOrDefault(c => c != null) is { } found)
                {
                    return found;
                }

                await foreach (var (type, item) in cluster.Client.CoreV1.WatchListNamespacedPodAsync(ns, resourceVersion: listed.Metadata.ResourceVersion, cancellationToken: cts.Token))
                {
                    if (Change(item, type) is { } change)
                    {
                        return change;
                    }
                }

                // The server ended the watch (its own timeout); list again and carry on.
            }
        }
        catch (Exception e) when (cts.IsCancellationRequested && e is OperationCanceledException or IOException or HttpRequestException)
        {
            return null;
        }

        string? Change(V1Pod item, WatchEventType type)
        {
            if (item.Metadata.Name != pod)
            {
                return item.Metadata.DeletionTimestamp == null && item.Status?.Phase is not ("Succeeded" or "Failed") ? $"another pod {item.Metadata.Name} runs next to the paused one" : null;
            }

            var status = item.Status?.ContainerStatuses?.SingleOrDefault(c => c.Name == "hello");
            return type == WatchEventType.Deleted || item.Metadata.DeletionTimestamp != null ? $"the paused pod {pod} is ending"
                : status?.RestartCount > 0 || status?.ContainerID != container ? $"the paused pod's container restarted ({status?.RestartCount} restarts, now {status?.ContainerID}, was {container})"
                : null;
        }
    }

    private UpService CreateService() => space.CreateService();

    private static void AddLivenessProbe(string manifest)
    {
        var text = File.ReadAllText(manifest);
        var indent = ReadinessProbe().Match(text).Groups[1].Value;
        var liveness = $"{indent}livenessProbe:\n{indent}  httpGet:\n{indent}    path: /\n{indent}    port: http\n{indent}  periodSeconds: 2\n{indent}  timeoutSeconds: 1\n{indent}  failureThreshold: 2\n";
        File.WriteAllText(manifest, ReadinessProbe().Replace(text, m => liveness + m.Value, 1));
    }

    private void WriteServer(string version) => File.WriteAllText(Path.Combine(folder, "server.js"), $$"""
        const http = require('http');
        http.createServer((req, res) => {
          const answer = `version {{version}} pid ${process.pid}`;
          res.end(`version {{version}} pid ${process.pid}`);
        }).listen(process.env.PORT || 8080);
        """);

    private string Describe() => string.Join(" | ", events.Where(e => e.Kind is not UpEventKind.Build).TakeLast(30).Select(e => $"{e.Kind}: {e.Message}"));

    [GeneratedRegex(@"^( *)readinessProbe:\n", RegexOptions.Multiline)]
    private static partial Regex ReadinessProbe();
}
