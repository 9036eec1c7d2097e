using System.Diagnostics;
using DevSpaces.Contracts;
using DevSpaces.Core.Cluster;
using DevSpaces.Core.Debug;
using DevSpaces.Core.Errors;
using DevSpaces.Core.Images;
using DevSpaces.Core.Logging;
using DevSpaces.Core.PortForwarding;
using DevSpaces.Core.Project;
using DevSpaces.Core.Routing;
using Docker.DotNet;
using k8s;
using k8s.Models;

namespace DevSpaces.Core.Up;

/// <summary>
/// <c>up</c> and <c>down</c> for one cluster: builds the service's image, deploys it with the helper in its container,
/// waits for the rollout, forwards its port, and hands over to an <see cref="UpSession"/> that keeps the container in
/// step with the folder.
/// </summary>
public sealed class UpService(ClusterConnection cluster, IDockerClient docker, ImageBuilder builder, ImageDelivery delivery, HelperImage helperImage, IPodPortConnector connector, UpSettings settings, ILog log)
{
    /// <summary>Reads and checks the folder's devspaces.yaml; its problems are the error (file:line:col), and nothing is deployed.</summary>
    public static ProjectFile ReadProject(string folder)
    {
        var path = Path.Combine(folder, ProjectFile.FileName);
        if (!File.Exists(path))
        {
            throw new DevSpacesException(RpcErrorCode.ProjectFileNotFound, $"{folder} has no {ProjectFile.FileName}.", $"Run `devspaces prep {folder}` to write one, or pass the service's folder.");
        }

        var reading = ProjectFileReader.Read(path);
        if (reading.File == null)
        {
            var lines = reading.Lines(path).Where(l => l.Contains(": error: ", StringComparison.Ordinal)).ToList();
            throw new DevSpacesException(RpcErrorCode.ProjectInvalid, $"{path} has {lines.Count} error(s); nothing was deployed.", string.Join("\n", lines));
        }

        return reading.File;
    }

    public async Task<UpSession> StartAsync(UpRequest request, Action<UpEvent> events, CancellationToken cancellationToken)
    {
        var project = ReadProject(request.Folder);
        if (request.Debug is { } asked && settings.DotNetDebuggerFolder is { } debugger)
        {
            DotNetDebugger.Validate(debugger);
            request = request with { Debug = asked with { DotNetDebuggerFolder = debugger } };
        }

        var ns = request.Namespace;
        var deployer = new UpDeployer(cluster);
        var ancestors = await AncestorsAsync(ns, cancellationToken).ConfigureAwait(false);

        // The helper's connections are streams of one SPDY session per pod, dialed while the pod starts: the first
        // one, which carries the initial sync, costs its frames instead of an upgrade through the API server.
        var helperChannels = SessionPodChannelOpener.ForCluster(cluster.Client, connector);
        UpDeployment deployment;
        try
        {
            deployment = await DeployAsync(project, ns, request.BuildArgs, deployer, events, cancellationToken, ancestors: ancestors, debug: request.Debug, started: pod => _ = helperChannels.WarmAsync(ns, pod.Name())).ConfigureAwait(false);
        }
        catch
        {
            await helperChannels.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        PortForwardSession? forward = null;
        PortForwardSession? debugForward = null;
        string? url = null;
        UpDebugInfo? debug = null;
        try
        {
            if (project.Forward is { } port)
            {
                var time = Stopwatch.StartNew();
                forward = await ForwardAsync(deployment, ns, port.LocalPort ?? request.LocalPort ?? 0, port.Port, cancellationToken).ConfigureAwait(false);
                url = $"http://127.0.0.1:{forward.Ports[0].LocalEndPoint.Port}/";
                events(new UpEvent(UpEventKind.Step, $"Forwarding {url} -> {project.Service}:{port.Port}", time.Elapsed));
            }

            if (deployment.Manifests.Debug is { } setup)
            {
                (debug, debugForward) = await StartDebugAsync(project, deployment, setup, ns, request.Debug!, events, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            if (forward != null)
            {
                await forward.DisposeAsync().ConfigureAwait(false);
            }

            await helperChannels.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var session = new UpSession(this, project, request, deployment, ancestors, forward, url, debugForward, debug, cluster, helperChannels, settings, log, events);
        try
        {
            await session.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return session;
    }

    /// <summary>Forwards the debug port (Node.js, Java) and says how to attach; .NET has no port, only what it needs.</summary>
    private async Task<(UpDebugInfo Info, PortForwardSession? Forward)> StartDebugAsync(ProjectFile project, UpDeployment deployment, DebugSetup setup, string ns, UpDebug debug, Action<UpEvent> events, CancellationToken cancellationToken)
    {
        foreach (var warning in setup.Warnings)
        {
            events(new UpEvent(UpEventKind.Warning, warning));
        }

        var root = project.Sync?.To ?? project.Run.WorkingDir ?? deployment.Manifests.Container.WorkingDir;
        if (setup.RemotePort is not { } remote)
        {
            if (debug.DotNetDebuggerFolder == null)
            {
                events(new UpEvent(UpEventKind.Warning, $"No .NET debugger is set ({DotNetDebugger.FolderVariable}); attaching works only if the image holds one at {DotNetDebugger.RemoteFolder}. {DotNetDebugger.Needs}"));
            }

            events(new UpEvent(UpEventKind.Step, $"Debugging .NET: the coreclr configuration of `devspaces debug --print-launch-config` starts the debugger in the container through `devspaces exec {project.Service}`{(setup.StopOnEntry ? "; the app waits at start-up until that debugger is configured, or `devspaces debug --resume`" : "")}"));
            return (new UpDebugInfo(setup.Runtime, null, null, setup.StopOnEntry, root), null);
        }

        var time = Stopwatch.StartNew();
        var forward = await ForwardAsync(deployment, ns, debug.LocalPort ?? (IsFree(remote) ? remote : 0), remote, cancellationToken).ConfigureAwait(false);
        var local = forward.Ports[0].LocalEndPoint.Port;
        var what = setup.Runtime == DebugRuntime.Node ? "Node.js inspector" : "Java debugger (JDWP)";
        events(new UpEvent(UpEventKind.Step, $"Debugging: the {what} is on 127.0.0.1:{local} -> {project.Service}:{remote}{(setup.StopOnEntry ? "; the app waits for a debugger before its first line" : "")}", time.Elapsed));
        return (new UpDebugInfo(setup.Runtime, remote, local, setup.StopOnEntry, root), forward);
    }

    /// <summary>Whether nothing listens on the local loopback port, so the debug port can keep its usual number.</summary>
    private static bool IsFree(int port)
    {
        try
        {
            var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
            probe.Start();
            probe.Stop();
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    /// <summary>Forwards a port of the service's pods (following the workload's pods when it is a Deployment).</summary>
    private async Task<PortForwardSession> ForwardAsync(UpDeployment deployment, string ns, int localPort, int remotePort, CancellationToken cancellationToken)
    {
        var workload = deployment.Manifests.Workload;
        var target = workload.Kind == "Deployment"
            ? new PortForwardTarget(PortForwardTargetKind.Deployment, ns, workload.Metadata.Name)
            : new PortForwardTarget(PortForwardTargetKind.Pod, ns, deployment.Pod.Metadata.Name);
        var mapping = new PortMapping(localPort, remotePort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return await PortForwardSession.StartAsync(cluster.Client, SessionPodChannelOpener.ForCluster(cluster.Client), new PortForwardRequest(target, [mapping]), null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Deploys the folder's service once and waits for the rollout, without the helper, a forward or a session (a
    /// preview): <paramref name="image"/> as it is (the cluster must be able to pull it), or the folder's image built
    /// and delivered. Its pods resolve short names in <paramref name="ancestors"/> too (parent first), so a Service
    /// the space does not have is its parent's.
    /// </summary>
    public Task<UpDeployment> DeployOnceAsync(string folder, string ns, IReadOnlyList<string> ancestors, IReadOnlyDictionary<string, string> buildArgs, string? image, Action<UpEvent> events, CancellationToken cancellationToken) =>
        DeployAsync(ReadProject(folder), ns, buildArgs, new UpDeployer(cluster), events, cancellationToken, image, helper: false, ancestors);

    /// <summary>Builds and delivers the image (or takes <paramref name="givenImage"/>), applies the manifests with the helper in place (unless <paramref name="helper"/> is false), and waits for the rollout.</summary>
    internal async Task<UpDeployment> DeployAsync(ProjectFile project, string ns, IReadOnlyDictionary<string, string> buildArgs, UpDeployer deployer, Action<UpEvent> events, CancellationToken cancellationToken, string? givenImage = null, bool helper = true, IReadOnlyList<string>? ancestors = null, UpDebug? debug = null, Action<V1Pod>? started = null)
    {
        var manifests = UpManifests.Load(project, ns);
        var time = Stopwatch.StartNew();
        string reference;
        string delivered;
        if (givenImage != null)
        {
            reference = delivered = givenImage;
            events(new UpEvent(UpEventKind.Step, $"Deploying the given image {givenImage}"));
        }
        else
        {
            var args = new Dictionary<string, string>(project.Build.Args, StringComparer.Ordinal);
            foreach (var (name, value) in buildArgs)
            {
                args[name] = value;
            }

            var buildProgress = new CallbackProgress<ImageProgress>(p =>
            {
                if (p.Kind == ImageProgressKind.BuildOutput && p.Message.Trim().Length > 0)
                {
                    events(new UpEvent(UpEventKind.Build, p.Message.TrimEnd()));
                }
            });
            var built = await builder.BuildAsync(
                new ImageBuildRequest(project.Build.Context, project.Build.Image) { Dockerfile = project.Build.Dockerfile, BuildArgs = args },
                buildProgress,
                cancellationToken).ConfigureAwait(false);
            var image = await delivery.DeliverAsync(built.Reference, ns, buildProgress, cancellationToken).ConfigureAwait(false);
            (reference, delivered) = (built.Reference, image.Reference);
            events(new UpEvent(UpEventKind.Step, built.Skipped ? $"Image {image.Reference} is up to date" : $"Built {image.Reference}", time.Elapsed));
        }

        time.Restart();
        var key = "";
        HelperPlacement? placement = null;
        if (helper)
        {
            var helperDelivered = await helperImage.EnsureAsync(ns, null, cancellationToken).ConfigureAwait(false);
            var config = (await docker.Images.InspectImageAsync(reference, cancellationToken).ConfigureAwait(false)).Config;
            key = await deployer.EnsureKeyAsync(ns, project.Service, cancellationToken).ConfigureAwait(false);
            var root = project.Sync?.To ?? project.Run.WorkingDir ?? (config?.WorkingDir is { Length: > 0 } imageDir ? imageDir : "/");
            placement = new HelperPlacement(helperDelivered.Reference, config?.Entrypoint?.ToList(), config?.Cmd?.ToList(), root, UpLabels.KeySecret(project.Service));
        }

        manifests.Prepare(project, delivered, placement, debug);
        if (ancestors is { Count: > 0 })
        {
            SpaceDns.Apply(manifests.Template.Spec, ancestors);
        }

        await deployer.ApplyAsync(ns, project.Service, manifests, cancellationToken).ConfigureAwait(false);
        var pod = await deployer.WaitReadyAsync(ns, manifests, settings.ReadyTimeout, state => events(new UpEvent(UpEventKind.Step, $"Waiting for {manifests.Workload.Kind}/{manifests.Workload.Metadata.Name}: {state}")), cancellationToken, started).ConfigureAwait(false);
        events(new UpEvent(UpEventKind.Step, $"{manifests.Workload.Kind}/{manifests.Workload.Metadata.Name} is ready in '{ns}' (pod {pod.Metadata.Name})", time.Elapsed));
        return new UpDeployment(manifests, delivered, pod, key);
    }

    /// <summary>
    /// The spaces above <paramref name="ns"/>, parent first, root last (none for a root or a namespace that is not a
    /// space), so a child space's pods also resolve the short names of the Services it inherits. A space the user may
    /// not read ends the chain there.
    /// </summary>
    public async Task<IReadOnlyList<string>> AncestorsAsync(string ns, CancellationToken cancellationToken)
    {
        var chain = new List<string>();
        var current = ns;
        while (chain.Count < 32)
        {
            V1Namespace? space;
            try
            {
                var name = current;
                space = await cluster.TryCallAsync(new ClusterOperation("get", "namespaces", name), (k, ct) => k.CoreV1.ReadNamespaceAsync(name, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
            }
            catch (DevSpacesException e)
            {
                log.Info($"up: the spaces above '{current}' are not known ({e.Message}); short names resolve in '{ns}' only");
                break;
            }

            var parent = space?.Metadata.Labels?.TryGetValue(Spaces.SpaceLabels.Parent, out var p) == true ? p : null;
            if (parent == null || parent == ns || chain.Contains(parent))
            {
                break;
            }

            chain.Add(parent);
            current = parent;
        }

        return chain;
    }

    public async Task<IReadOnlyList<string>> DownAsync(string folder, string ns, CancellationToken cancellationToken)
    {
        var project = ReadProject(folder);
        return await new UpDeployer(cluster).DownAsync(ns, project.Service, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>What one deploy gave: the manifests as applied, the image, the ready pod and the helper's key.</summary>
public sealed record UpDeployment(UpManifests Manifests, string Image, k8s.Models.V1Pod Pod, string Key);
