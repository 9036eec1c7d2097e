using DevSpaces.Cli.Commands;
using DevSpaces.Contracts;
using DevSpaces.Core.Cluster;
using DevSpaces.Core.Connect;
using DevSpaces.Core.Contexts;
using DevSpaces.Core.Images;
using DevSpaces.Core.Logging;
using DevSpaces.Core.PortForwarding;
using DevSpaces.Core.Previews;
using DevSpaces.Core.Project;
using DevSpaces.Core.Rpc;
using DevSpaces.Core.Routing;
using DevSpaces.Core.Services;
using DevSpaces.Core.Spaces;
using DevSpaces.Core.Up;
using DevSpaces.Core.Watch;
using DevSpaces.Core.Workspace;
using Docker.DotNet;
using StreamJsonRpc;

namespace DevSpaces.Cli;

/// <summary>
/// The composition root of the <c>devspaces</c> executable: every object graph of the CLI and of the daemon is built
/// here, and only here; handlers and verbs receive what they use. It owns what it built (the Docker client, the
/// daemon's handlers and watches) and disposes it, last built first.
/// </summary>
public sealed class Composition : IAsyncDisposable
{
    private readonly ILog log;
    private readonly AgentSettings agent;
    private readonly RouterSettings router;
    private readonly LocalFiles localFiles;
    private readonly UpSettings up;
    private readonly Lazy<DockerClient> docker;
    private readonly List<IAsyncDisposable> owned = [];

    private Composition(WorkspaceSession session, ILog log, Func<string, string?> environment)
    {
        this.log = log;
        Session = session;
        agent = AgentSettings.FromEnvironment(environment);
        router = RouterSettings.FromEnvironment(environment);
        localFiles = LocalFiles.FromEnvironment(environment);
        up = UpSettings.FromEnvironment(environment);
        docker = new Lazy<DockerClient>(() => DockerEngine.Connect(environment("DOCKER_HOST")));
        Contexts = new ContextService(session);
        Routing = new RoutingService(session, RouterImageFor, router);
        Spaces = new SpaceService(session, () => new ClusterNamespaces(session.Connect()), Routing);
        Services = new ServiceCatalog(session);
        Projects = new ProjectHandler(session);
    }

    public WorkspaceSession Session { get; }

    public IContextRpc Contexts { get; }

    public ISpaceRpc Spaces { get; }

    public IServiceRpc Services { get; }

    public IProjectRpc Projects { get; }

    public RoutingService Routing { get; }

    /// <summary>The CLI's verbs that run longer than one call. Set for the CLI only.</summary>
    public ConnectCommand? ConnectCommand { get; private set; }

    /// <summary>Set for the CLI only.</summary>
    public PortForwardCommand? PortForwardCommand { get; private set; }

    /// <summary>Set for the CLI only.</summary>
    public ImageCommand? ImageCommand { get; private set; }

    /// <summary>Set for the CLI only.</summary>
    public ProjectCommand? ProjectCommand { get; private set; }

    /// <summary>Set for the CLI only.</summary>
    public UpCommand? UpCommand { get; private set; }

    /// <summary>Set for the CLI only.</summary>
    public RoutingCommand? RoutingCommand { get; private set; }

    /// <summary>Set for the CLI only.</summary>
    public PreviewCommand? PreviewCommand { get; private set; }

    /// <summary>Set for the CLI only.</summary>
    public DebugCommand? DebugCommand { get; private set; }

    /// <summary>Set for the CLI only.</summary>
    public ExecCommand? ExecCommand { get; private set; }

    /// <summary>Set for the daemon only.</summary>
    public LifecycleHandler? Lifecycle { get; private set; }

    /// <summary>For one CLI command in <paramref name="workspaceFolder"/>.</summary>
    public static Composition ForCli(IKubeconfigSource kubeconfig, ILog log, string workspaceFolder, CliOutput output, string currentDirectory, Func<string, string?>? environment = null, Func<(Stream In, Stream Out, Stream Error)>? stdio = null)
    {
        var composition = new Composition(new WorkspaceSession(kubeconfig, new NoClientNotifier(), log, workspaceFolder), log, environment ?? Environment.GetEnvironmentVariable);
        var session = composition.Session;
        composition.ConnectCommand = new ConnectCommand(output, session, composition.ConnectServiceFor);
        composition.PortForwardCommand = new PortForwardCommand(output, events => new PortForwardHandler(session, events));
        composition.ImageCommand = new ImageCommand(output, progress => new ImageHandler(session, progress, composition.Docker), currentDirectory);
        composition.ProjectCommand = new ProjectCommand(output, composition.Projects, currentDirectory, workspaceFolder);
        composition.DebugCommand = new DebugCommand(output, session, ExecFor, environment ?? Environment.GetEnvironmentVariable, currentDirectory);
        composition.ExecCommand = new ExecCommand(session, ExecFor, stdio ?? (() => (Console.OpenStandardInput(), Console.OpenStandardOutput(), Console.OpenStandardError())));
        composition.UpCommand = new UpCommand(output, session, composition.UpServiceFor, currentDirectory);
        composition.RoutingCommand = new RoutingCommand(output, composition.Routing, session);
        composition.PreviewCommand = new PreviewCommand(output, session, composition.PreviewServiceFor, currentDirectory);
        return composition;
    }

    /// <summary>For a daemon connection: every feature's handler is registered on <paramref name="rpc"/> here, and only here.</summary>
    public static Composition ForDaemon(IKubeconfigSource kubeconfig, ILog log, JsonRpc rpc, string version, TimeSpan? watchTimeout = null, Func<string, string?>? environment = null)
    {
        var composition = new Composition(new WorkspaceSession(kubeconfig, new JsonRpcClientNotifier(rpc, log), log, null), log, environment ?? Environment.GetEnvironmentVariable);
        var session = composition.Session;
        var stateWatch = composition.Own(new WorkspaceStateWatch(session));
        var watch = composition.Own(new SpaceWatch(session, watchTimeout));
        composition.Lifecycle = new LifecycleHandler(session, watch, stateWatch, version);
        session.OnContextChanged(ct => watch.RestartAsync(ct));

        var imageProgress = composition.Own(new OrderedNotifications<ImageProgressInfo>(session.Notifier, RpcNotifications.ImageProgress));
        var forwardEvents = composition.Own(new OrderedNotifications<PortForwardEventInfo>(session.Notifier, RpcNotifications.PortForwardEvent));
        var forwards = composition.Own(new PortForwardHandler(session, forwardEvents));

        // What a crashed daemon or connect command left on this machine goes first (hosts-file sections, mount copies).
        foreach (var cleaned in composition.localFiles.CleanStale(log.Warn))
        {
            log.Info($"removed remains of a crashed connect session: {cleaned}");
        }

        var connect = composition.Own(new ConnectHandler(session, composition.ConnectServiceFor));
        var upEvents = composition.Own(new OrderedNotifications<UpEventInfo>(session.Notifier, RpcNotifications.UpEvent));
        var ups = composition.Own(new UpHandler(session, composition.UpServiceFor, upEvents));

        rpc.AddLocalRpcTarget<ILifecycleRpc>(composition.Lifecycle, null);
        rpc.AddLocalRpcTarget(composition.Contexts, null);
        rpc.AddLocalRpcTarget(composition.Spaces, null);
        rpc.AddLocalRpcTarget(composition.Services, null);
        rpc.AddLocalRpcTarget(composition.Projects, null);
        rpc.AddLocalRpcTarget<IRoutingRpc>(composition.Routing, null);
        rpc.AddLocalRpcTarget<IPortForwardRpc>(forwards, null);
        rpc.AddLocalRpcTarget<IImageRpc>(new ImageHandler(session, imageProgress, composition.Docker), null);
        rpc.AddLocalRpcTarget<IConnectRpc>(connect, null);
        rpc.AddLocalRpcTarget<IUpRpc>(ups, null);
        return composition;
    }

    /// <summary>The one Docker client of this run, made on first use.</summary>
    private DockerClient Docker() => docker.Value;

    /// <summary>The connect pipeline for one cluster: the agent image built on this engine and delivered to that cluster.</summary>
    private ConnectService ConnectServiceFor(ClusterConnection cluster) =>
        new(cluster, new AgentImage(new ImageBuilder(Docker()), new ImageDelivery(Docker(), cluster.Client, new ImageDeliverySettings()), agent), agent, log, localFiles);

    /// <summary>The up pipeline for one cluster: images built on this engine and delivered to that cluster, the helper with them.</summary>
    private UpService UpServiceFor(ClusterConnection cluster)
    {
        var builder = new ImageBuilder(Docker());
        var delivery = new ImageDelivery(Docker(), cluster.Client, new ImageDeliverySettings());
        return new UpService(cluster, Docker(), builder, delivery, new HelperImage(builder, delivery, up), new WebSocketPodPortConnector(cluster.Client), up, log);
    }

    /// <summary>exec for one cluster: through the helper of a service that is up, over a port-forward.</summary>
    private static ServiceExec ExecFor(ClusterConnection cluster) => new(cluster, new WebSocketPodPortConnector(cluster.Client));

    /// <summary>The router image for one cluster: built on this engine and delivered to that cluster.</summary>
    private RouterImage RouterImageFor(ClusterConnection cluster) =>
        new(new ImageBuilder(Docker()), new ImageDelivery(Docker(), cluster.Client, new ImageDeliverySettings()), router);

    /// <summary>Previews of one cluster: spaces as its namespaces, services deployed with the up pipeline, URLs from its routing.</summary>
    private PreviewService PreviewServiceFor(ClusterConnection cluster) =>
        new(new ClusterPreviewNamespaces(cluster), new UpPreviewDeployer(UpServiceFor(cluster)), new RoutedSpaces(Routing, cluster), TimeProvider.System);

    private T Own<T>(T disposable)
        where T : IAsyncDisposable
    {
        owned.Add(disposable);
        return disposable;
    }

    public async ValueTask DisposeAsync()
    {
        // Last built first: connect sessions are restored before the forwards, notifications and watches they use stop.
        for (var i = owned.Count - 1; i >= 0; i--)
        {
            await owned[i].DisposeAsync().ConfigureAwait(false);
        }

        if (docker.IsValueCreated)
        {
            docker.Value.Dispose();
        }

        Session.Dispose();
    }
}
