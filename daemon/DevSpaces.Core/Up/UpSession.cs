using System.Diagnostics;
using System.Threading.Channels;
using DevSpaces.Contracts;
using DevSpaces.Core.Cluster;
using DevSpaces.Core.Connect;
using DevSpaces.Core.Debug;
using DevSpaces.Core.Errors;
using DevSpaces.Core.Lifetime;
using DevSpaces.Core.Logging;
using DevSpaces.Core.PortForwarding;
using DevSpaces.Core.Project;
using DevSpaces.Core.Sync;
using DevSpaces.Helper.Protocol;
using k8s;

namespace DevSpaces.Core.Up;

/// <summary>
/// A service that is up: keeps its container in step with the local folder through the helper (copy, restart, build
/// step, or rebuild and redeploy, as the update rules say), streams the container's output, and re-attaches when its
/// pod is replaced. Disposing it stops all that and leaves the service running.
/// </summary>
public sealed class UpSession : IAsyncDisposable
{
    private readonly UpService service;
    private readonly UpRequest request;
    private readonly ClusterConnection cluster;
    private readonly SessionPodChannelOpener helperChannels;
    private readonly UpSettings settings;
    private readonly ILog log;
    private readonly Action<UpEvent> events;
    private readonly PortForwardSession? forward;
    private readonly PortForwardSession? debugForward;
    private readonly Channel<UpdateDecision> work = Channel.CreateUnbounded<UpdateDecision>();
    private readonly CancellationTokenSource stop = new();
    private readonly TaskCompletionSource ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IReadOnlyList<string> ancestors;
    private UpDeployment deployment;
    private readonly GlobUpdateRules updateRules;
    private readonly LocalCompiler? compiler;
    private bool compileUnavailable;
    private Attachment? attached;
    private SyncSession? triggers;
    private Task loop = Task.CompletedTask;
    private int disposed;

    internal UpSession(UpService service, ProjectFile project, UpRequest request, UpDeployment deployment, IReadOnlyList<string> ancestors, PortForwardSession? forward, string? url, PortForwardSession? debugForward, UpDebugInfo? debug, ClusterConnection cluster, SessionPodChannelOpener helperChannels, UpSettings settings, ILog log, Action<UpEvent> events)
    {
        this.service = service;
        Project = project;
        this.request = request;
        this.deployment = deployment;
        updateRules = new GlobUpdateRules(project.Updates);
        compiler = project.Run.Compile is { } compile ? new LocalCompiler(compile, project.Folder) : null;
        this.ancestors = ancestors;
        this.forward = forward;
        Url = url;
        this.debugForward = debugForward;
        Debug = debug;
        this.cluster = cluster;
        this.helperChannels = helperChannels;
        this.settings = settings;
        this.log = log;
        this.events = events;
    }

    public string Id => IdOf(Namespace, Project.Service);

    /// <summary>How <c>up/stop</c> and <c>up/event</c> name the service <paramref name="service"/> up in <paramref name="ns"/>.</summary>
    public static string IdOf(string ns, string service) => $"{ns}/{service}";

    public ProjectFile Project { get; }

    public string Namespace => request.Namespace;

    public string? Url { get; }

    /// <summary>How to attach a debugger (debug mode); null when the app runs as usual.</summary>
    public UpDebugInfo? Debug { get; }

    public string Image => deployment.Image;

    public string Pod => attached?.Pod ?? deployment.Pod.Metadata.Name;

    public bool Watching => request.Watch && !loop.IsCompleted;

    /// <summary>Completes when the session stopped (disposed, or the service was removed under it).</summary>
    public Task Ended => ended.Task;

    /// <summary>The helper's view of the app: its pid and state.</summary>
    public Task<AppStatus> GetAppStatusAsync(CancellationToken cancellationToken) =>
        attached?.Helper.GetStatusAsync(cancellationToken) ?? throw new InvalidOperationException("not attached");

    internal async Task StartAsync(CancellationToken cancellationToken)
    {
        attached = await AttachAsync(deployment.Pod.Metadata.Name, tailLines: 200, cancellationToken).ConfigureAwait(false);
        if (!request.Watch)
        {
            return;
        }

        // Files that are not synced still have update rules (a Dockerfile rebuilds): watch them all.
        // The local build's output is copied after a compile, not watched.
        var watched = SyncRules.ForFolder(Project.Folder, null, Project.Sync?.IgnoreFiles ?? ProjectSync.DefaultIgnoreFiles, alsoIgnored: compiler is null ? null : [compiler.RelativeOutput]);
        var first = true;
        compiler?.Warm();
        triggers = new SyncSession(new FolderScanner(Project.Folder, watched), new WatchOnlyTarget(), updateRules, SyncTimings.Default, (round, ct) =>
        {
            if (!first)
            {
                compiler?.Observe(round.Plan);
                OnUnsyncedChange(round);
            }

            first = false;
            return Task.CompletedTask;
        });
        await triggers.StartAsync(cancellationToken).ConfigureAwait(false);
        loop = RunAsync(stop.Token);
    }

    private void OnUnsyncedChange(SyncRound round)
    {
        var paths = round.Plan.ChangedPaths.Where(p => Project.Sync == null || !attached!.Rules!.Selects(p)).ToList();
        if (paths.Count == 0)
        {
            return;
        }

        var decision = UpdateDecision.For(new SyncPlan([], [], paths), updateRules);
        if (decision.Action is UpdateAction.Compile or UpdateAction.Rebuild)
        {
            work.Writer.TryWrite(decision);
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            while (true)
            {
                var lost = attached!.Lost;
                var queued = work.Reader.WaitToReadAsync(cancellationToken).AsTask();
                var done = await Task.WhenAny(lost, queued).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                if (done == queued)
                {
                    // Everything queued meanwhile is done once: a rebuild covers a compile.
                    UpdateDecision? strongest = null;
                    while (work.Reader.TryRead(out var next))
                    {
                        if (strongest == null || next.Action > strongest.Action)
                        {
                            strongest = next;
                        }
                    }

                    if (strongest is { Action: UpdateAction.Compile, Cause: { } compileCause } && !compileUnavailable)
                    {
                        await CompileAsync(compileCause, cancellationToken).ConfigureAwait(false);
                    }
                    else if (strongest != null)
                    {
                        await RebuildAsync(strongest.Cause ?? "a change", cancellationToken).ConfigureAwait(false);
                    }
                }
                else
                {
                    await ReattachAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            events(new UpEvent(UpEventKind.Warning, $"Stopped watching {Project.Service}: {(e is DevSpacesException d ? d.Message : e.Message)}"));
            log.Warn($"up {Id}: {e}");
        }
    }

    private async Task RebuildAsync(string cause, CancellationToken cancellationToken)
    {
        var time = Stopwatch.StartNew();
        events(new UpEvent(UpEventKind.Step, $"{cause} changed: rebuilding the image and redeploying"));
        UpDeployment next;
        try
        {
            var project = UpService.ReadProject(request.Folder);
            next = await service.DeployAsync(project, Namespace, request.BuildArgs, new UpDeployer(cluster), events, cancellationToken, ancestors: ancestors, debug: request.Debug, started: Warm).ConfigureAwait(false);
        }
        catch (DevSpacesException e)
        {
            events(new UpEvent(UpEventKind.BuildFailed, $"{e.Message}{(e.Hint is { Length: > 0 } hint ? $" {hint}" : "")} The running version keeps serving.", time.Elapsed));
            return;
        }

        deployment = next;
        await attached!.DisposeAsync().ConfigureAwait(false);
        attached = await AttachAsync(next.Pod.Metadata.Name, tailLines: 200, cancellationToken).ConfigureAwait(false);
        events(new UpEvent(UpEventKind.Redeployed, $"Redeployed {Project.Service} with {next.Image} (pod {next.Pod.Metadata.Name})", time.Elapsed));
    }

    /// <summary>Runs <c>run.compile</c> here, copies what it changed into the container and restarts the app; a failed compile leaves the running process serving.</summary>
    private async Task CompileAsync(string cause, CancellationToken cancellationToken)
    {
        var time = Stopwatch.StartNew();
        LocalCompileResult result;
        try
        {
            result = await compiler!.RunAsync(
                path => events(new UpEvent(UpEventKind.Step, $"{cause} changed: compiling on this machine ({path})")),
                line => events(new UpEvent(UpEventKind.Build, line)),
                cancellationToken).ConfigureAwait(false);
        }
        catch (LocalCompileUnavailableException e)
        {
            compileUnavailable = true;
            events(new UpEvent(UpEventKind.Warning, $"{e.Message}: code changes rebuild the image instead, which is slower. Install it (for .NET: the SDK the project targets) and run up again to compile here."));
            await RebuildAsync(cause, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (result.ExitCode != 0)
        {
            events(new UpEvent(UpEventKind.BuildFailed, $"The compile step ({result.Path}) failed with exit code {result.ExitCode} after {cause} changed; the running process keeps serving. Save a fix and it compiles again.", time.Elapsed));
            return;
        }

        var compiled = time.Elapsed;
        var attachment = attached!;
        IReadOnlyList<FileEntry> sent;
        try
        {
            attachment.ContainerFiles ??= (await attachment.Helper.ListFilesAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(f => f.Path, StringComparer.Ordinal);
            sent = await compiler.CopyChangedAsync(attachment.Helper, attachment.ContainerFiles, path => attachment.Rules?.Selects(path) == true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HelperException or IOException)
        {
            events(new UpEvent(UpEventKind.Warning, $"The compiled output could not be copied to pod {attachment.Pod}: {e.Message.TrimEnd('.')}. The next change tries again.", time.Elapsed));
            return;
        }

        if (sent.Count == 0)
        {
            events(new UpEvent(UpEventKind.Step, "Compiled: the output is unchanged, so the app keeps running", compiled));
            return;
        }

        events(new UpEvent(UpEventKind.Synced, $"Compiled here ({result.Path}) in {compiled.TotalSeconds:0.0} s; copied {sent.Count} changed file(s) ({string.Join(", ", sent.Take(3).Select(f => f.Path))}{(sent.Count > 3 ? ", …" : "")}) to {attachment.Pod}", time.Elapsed));
        await RestartAsync(attachment, cause, cancellationToken).ConfigureAwait(false);
    }

    private async Task ReattachAsync(CancellationToken cancellationToken)
    {
        var previous = attached!.Pod;
        await attached.DisposeAsync().ConfigureAwait(false);
        events(new UpEvent(UpEventKind.Warning, $"Lost pod {previous}; waiting for the next ready pod"));
        var time = Stopwatch.StartNew();
        var pod = await new UpDeployer(cluster).WaitReadyAsync(Namespace, deployment.Manifests, settings.ReadyTimeout, null, cancellationToken, Warm).ConfigureAwait(false);
        attached = await AttachAsync(pod.Metadata.Name, tailLines: pod.Metadata.Name == previous ? 0 : 200, cancellationToken).ConfigureAwait(false);
        events(new UpEvent(UpEventKind.Step, $"Attached to pod {pod.Metadata.Name}", time.Elapsed));
    }

    /// <summary>Connects to the pod's helper, brings its folder in step (only what differs travels) and follows its output.</summary>
    private async Task<Attachment> AttachAsync(string pod, int tailLines, CancellationToken cancellationToken)
    {
        if (request.Debug?.DotNetDebuggerFolder is { } debugger && Debug?.Runtime == DebugRuntime.DotNet)
        {
            // Each new pod starts with an empty debugger folder.
            var time = Stopwatch.StartNew();
            await using var copier = await ConnectHelperAsync(pod, cancellationToken).ConfigureAwait(false);
            var files = await DotNetDebugger.CopyAsync(copier, debugger, cancellationToken).ConfigureAwait(false);
            events(new UpEvent(UpEventKind.Step, $"Copied the .NET debugger ({files} files of {debugger}) into pod {pod} at {DotNetDebugger.RemoteFolder}", time.Elapsed));
        }

        var helper = await ConnectHelperAsync(pod, cancellationToken).ConfigureAwait(false);
        var attachment = new Attachment(pod, helper);
        try
        {
            attachment.Logs = FollowLogsAsync(pod, tailLines, attachment.Stopping);
            if (Project.Sync is { } sync)
            {
                attachment.Rules = SyncRules.ForProject(Project.Folder, sync);
                var scanner = new FolderScanner(Project.Folder, attachment.Rules);
                var initial = true;
                attachment.Sync = new SyncSession(scanner, helper, updateRules, SyncTimings.Default, async (round, ct) =>
                {
                    await OnSyncRoundAsync(attachment, round, initial, ct).ConfigureAwait(false);
                    initial = false;
                });
                await attachment.Sync.StartAsync(cancellationToken).ConfigureAwait(false);
                if (!request.Watch)
                {
                    // One sync brings the container in step; nothing watches after it.
                    await attachment.Sync.DisposeAsync().ConfigureAwait(false);
                    attachment.Sync = null;
                }
            }

            return attachment;
        }
        catch
        {
            await attachment.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Dials the session that carries the helper's connections while <paramref name="pod"/> starts.</summary>
    private void Warm(k8s.Models.V1Pod pod) => _ = helperChannels.WarmAsync(Namespace, pod.Metadata.Name);

    private async Task<HelperClient> ConnectHelperAsync(string pod, CancellationToken cancellationToken)
    {
        // The pod is ready when its app is; the helper listens before it starts the app, so a refusal here is brief.
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            try
            {
                var stream = new PodPortStream(await helperChannels.OpenAsync(Namespace, pod, HelperProtocol.DefaultPort, cancellationToken).ConfigureAwait(false));
                try
                {
                    return await HelperClient.ConnectAsync(stream, deployment.Key, cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    // A connection the helper did not take (not listening yet, or refused) is closed before the next try.
                    await stream.DisposeAsync().ConfigureAwait(false);
                    throw;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException && DateTimeOffset.UtcNow < deadline)
            {
                log.Info($"up {Id}: helper of {pod} not reachable yet: {e.Message}");
                await Task.Delay(TimeSpan.FromMilliseconds(300), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException and not DevSpacesException)
            {
                throw new DevSpacesException(RpcErrorCode.HelperFailed, $"The helper in pod {pod} ('{Namespace}') cannot be reached: {e.Message}", "Check that the pod runs (kubectl describe pod); `devspaces up` again deploys it anew.");
            }
        }
    }

    private async Task OnSyncRoundAsync(Attachment attachment, SyncRound round, bool initial, CancellationToken cancellationToken)
    {
        foreach (var problem in round.Problems)
        {
            events(new UpEvent(UpEventKind.Warning, $"{problem.Path}: {problem.Message}"));
        }

        if (!round.Plan.IsEmpty)
        {
            events(new UpEvent(UpEventKind.Synced, $"{(initial ? "Initial sync: " : "")}{round.Plan} to {attachment.Pod}", round.ScanTime + round.ApplyTime));
        }
        else if (initial)
        {
            events(new UpEvent(UpEventKind.Synced, "Initial sync: nothing to copy, the container is up to date", round.ScanTime + round.ApplyTime));
        }

        var decision = round.Decision;
        if (round.Plan.IsEmpty)
        {
            return;
        }

        switch (decision.Action)
        {
            case UpdateAction.Compile or UpdateAction.Rebuild when !initial:
                work.Writer.TryWrite(decision);
                break;
            case UpdateAction.Build:
                if (await RunBuildStepAsync(attachment, decision.Cause!, cancellationToken).ConfigureAwait(false))
                {
                    await RestartAsync(attachment, decision.Cause!, cancellationToken).ConfigureAwait(false);
                }

                break;
            case UpdateAction.Restart:
                await RestartAsync(attachment, decision.Cause!, cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>
    /// Restarts the app through the helper, which answers once the app listens on its port (in debug mode the
    /// debugger's, which a stopped-on-entry app opens first). Meanwhile the forwards hold new connections, so a
    /// browser or debugger reconnecting during the restart waits for the new process instead of failing.
    /// </summary>
    private async Task RestartAsync(Attachment attachment, string cause, CancellationToken cancellationToken)
    {
        var time = Stopwatch.StartNew();
        var readyPort = Debug?.RemotePort ?? Project.Forward?.Port ?? 0;
        AppStatus status;
        using (forward?.HoldForRestart())
        using (debugForward?.HoldForRestart())
        {
            status = await attachment.Helper.RestartAsync(settings.RestartGrace, settings.RestartSettle, readyPort, settings.RestartReadyTimeout, cancellationToken).ConfigureAwait(false);
        }

        if (status.State != AppState.Running)
        {
            events(new UpEvent(UpEventKind.Warning, $"The app exited right after its restart (exit code {status.ExitCode}){(status.Message.Length > 0 ? $": {status.Message}" : "")}; its output above shows why. Save a fix and it restarts.", time.Elapsed));
            return;
        }

        events(new UpEvent(UpEventKind.Restarted, $"Restarted the app (pid {status.Pid}) because {cause} changed", time.Elapsed));
        if (readyPort > 0 && !status.Listening)
        {
            events(new UpEvent(UpEventKind.Warning, $"The app (pid {status.Pid}) runs, but nothing listens on port {readyPort} in the pod after {settings.RestartReadyTimeout.TotalSeconds:0} s. Check the port it listens on{(Debug is null ? " against forward.port in devspaces.yaml" : "")}."));
        }
    }

    /// <summary>Runs <c>run.build</c> in the container (directly, no shell needed); its output is shown as build lines.</summary>
    private async Task<bool> RunBuildStepAsync(Attachment attachment, string cause, CancellationToken cancellationToken)
    {
        var step = Project.Run.BuildStep!;
        var time = Stopwatch.StartNew();
        int exit;
        try
        {
            exit = await cluster.Client.NamespacedPodExecAsync(attachment.Pod, Namespace, deployment.Manifests.Container.Name, step, false, async (stdin, stdout, stderr) =>
            {
                stdin.Close();
                await Task.WhenAll(Lines(stdout), Lines(stderr)).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            events(new UpEvent(UpEventKind.BuildFailed, $"The build step ({string.Join(' ', step)}) could not run in pod {attachment.Pod}: {e.Message}. The running process keeps serving.", time.Elapsed));
            return false;
        }

        if (exit != 0)
        {
            events(new UpEvent(UpEventKind.BuildFailed, $"The build step ({string.Join(' ', step)}) failed with exit code {exit} after {cause} changed; the running process keeps serving.", time.Elapsed));
            return false;
        }

        events(new UpEvent(UpEventKind.Step, $"Build step done ({string.Join(' ', step)})", time.Elapsed));
        return true;

        async Task Lines(Stream stream)
        {
            using var reader = new StreamReader(stream);
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                events(new UpEvent(UpEventKind.Build, line));
            }
        }
    }

    private async Task FollowLogsAsync(string pod, int tailLines, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            var container = deployment.Manifests.Container.Name;
            using var stream = await cluster.Client.CoreV1.ReadNamespacedPodLogAsync(
                pod, Namespace, container, follow: true, tailLines: tailLines > 0 ? tailLines : null, sinceSeconds: tailLines > 0 ? null : 1, cancellationToken: cancellationToken).ConfigureAwait(false);
            using var reader = new StreamReader(stream);
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                events(new UpEvent(UpEventKind.Log, line));
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            log.Info($"up {Id}: the log stream of {pod} ended: {e.Message}");
        }
    }

    /// <summary>Stops watching; a second call does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await OwnedLoop.CancelAndWaitAsync(stop, loop).ConfigureAwait(false);
        if (triggers != null)
        {
            await triggers.DisposeAsync().ConfigureAwait(false);
        }

        if (attached != null)
        {
            await attached.DisposeAsync().ConfigureAwait(false);
        }

        if (forward != null)
        {
            await forward.DisposeAsync().ConfigureAwait(false);
        }

        if (debugForward != null)
        {
            await debugForward.DisposeAsync().ConfigureAwait(false);
        }

        if (compiler != null)
        {
            await compiler.DisposeAsync().ConfigureAwait(false);
        }

        await helperChannels.DisposeAsync().ConfigureAwait(false);
        stop.Dispose();
        if (ended.TrySetResult())
        {
            events(new UpEvent(UpEventKind.Stopped, $"Stopped watching {Project.Service}; it keeps running in '{Namespace}' (devspaces down removes it)"));
        }
    }

    /// <summary>One pod's helper connection, sync session and log stream.</summary>
    private sealed class Attachment(string pod, HelperClient helper) : IAsyncDisposable
    {
        private readonly CancellationTokenSource cts = new();

        public string Pod => pod;

        public HelperClient Helper => helper;

        public SyncRules? Rules { get; set; }

        public SyncSession? Sync { get; set; }

        /// <summary>What the container's folder holds, as far as compiled output goes; listed at the first compile.</summary>
        public Dictionary<string, FileEntry>? ContainerFiles { get; set; }

        public Task Logs { get; set; } = Task.CompletedTask;

        public CancellationToken Stopping => cts.Token;

        /// <summary>Completes when the pod is gone: its log stream ended or a sync could not reach the helper.</summary>
        public Task Lost => Task.WhenAny(Logs, Sync?.Completion ?? Task.Delay(Timeout.Infinite, cts.Token));

        public async ValueTask DisposeAsync()
        {
            await cts.CancelAsync().ConfigureAwait(false);
            if (Sync != null)
            {
                await Sync.DisposeAsync().ConfigureAwait(false);
            }

            await helper.DisposeAsync().ConfigureAwait(false);
            try
            {
                await Logs.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            cts.Dispose();
        }
    }
}
