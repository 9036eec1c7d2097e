using DevSpaces.Contracts;
using DevSpaces.Core.Cluster;
using DevSpaces.Core.Connect;
using DevSpaces.Core.Contexts;
using DevSpaces.Core.Images;
using DevSpaces.Core.Logging;
using DevSpaces.Core.PortForwarding;
using DevSpaces.Core.Rpc;
using DevSpaces.Core.Services;
using DevSpaces.Core.Spaces;
using DevSpaces.Core.Watch;
using DevSpaces.Core.Workspace;
using StreamJsonRpc;

namespace DevSpaces.Cli;

/// <summary>The composition root: builds the feature services the CLI and the daemon share, and registers the daemon's RPC handlers.</summary>
public sealed class Composition : IAsyncDisposable
{
    private Composition(WorkspaceSession session)
    {
        Session = session;
        Contexts = new ContextService(session);
        Spaces = new SpaceService(session);
        Services = new ServiceCatalog(session);
    }

    public WorkspaceSession Session { get; }

    public IContextRpc Contexts { get; }

    public ISpaceRpc Spaces { get; }

    public IServiceRpc Services { get; }

    /// <summary>Set for the daemon only.</summary>
    public SpaceWatch? Watch { get; private set; }

    /// <summary>Set for the daemon only.</summary>
    public WorkspaceStateWatch? StateWatch { get; private set; }

    /// <summary>Set for the daemon only.</summary>
    public LifecycleHandler? Lifecycle { get; private set; }

    /// <summary>Set for the daemon only: its connect sessions, restored on dispose.</summary>
    public ConnectHandler? Connect { get; private set; }

    /// <summary>Set for the daemon only; the CLI's port-forward verb makes its own.</summary>
    public PortForwardHandler? PortForwards { get; private set; }

    private OrderedNotifications<PortForwardEventInfo>? forwardEvents;
    private OrderedNotifications<ImageProgressInfo>? imageProgress;

    /// <summary>For one CLI command in <paramref name="workspaceFolder"/>.</summary>
    public static Composition ForCli(KubeconfigSource kubeconfig, ILog log, string workspaceFolder) =>
        new(new WorkspaceSession(kubeconfig, new NoClientNotifier(), log, workspaceFolder));

    /// <summary>For a daemon connection: every feature's handler is registered on <paramref name="rpc"/> here, and only here.</summary>
    public static Composition ForDaemon(KubeconfigSource kubeconfig, ILog log, JsonRpc rpc, string version, TimeSpan? watchTimeout = null)
    {
        var composition = new Composition(new WorkspaceSession(kubeconfig, new JsonRpcClientNotifier(rpc, log), log, null));
        var watch = new SpaceWatch(composition.Session, watchTimeout);
        composition.Watch = watch;
        composition.StateWatch = new WorkspaceStateWatch(composition.Session);
        composition.Lifecycle = new LifecycleHandler(composition.Session, watch, composition.StateWatch, version);
        composition.Session.OnContextChanged(ct => watch.RestartAsync(ct));

        rpc.AddLocalRpcTarget<ILifecycleRpc>(composition.Lifecycle, null);
        rpc.AddLocalRpcTarget(composition.Contexts, null);
        rpc.AddLocalRpcTarget(composition.Spaces, null);
        rpc.AddLocalRpcTarget(composition.Services, null);

        composition.forwardEvents = new OrderedNotifications<PortForwardEventInfo>(composition.Session.Notifier, RpcNotifications.PortForwardEvent);
        composition.imageProgress = new OrderedNotifications<ImageProgressInfo>(composition.Session.Notifier, RpcNotifications.ImageProgress);
        composition.PortForwards = new PortForwardHandler(composition.Session, composition.forwardEvents);
        rpc.AddLocalRpcTarget<IPortForwardRpc>(composition.PortForwards, null);
        rpc.AddLocalRpcTarget<IImageRpc>(new ImageHandler(composition.Session, composition.imageProgress), null);
        // What a crashed daemon or connect command left on this machine goes first (hosts-file sections, mount copies).
        foreach (var cleaned in LocalFiles.FromEnvironment().CleanStale(log.Warn))
        {
            log.Info($"removed remains of a crashed connect session: {cleaned}");
        }

        composition.Connect = new ConnectHandler(composition.Session, new AgentSettings
        {
            BaseImage = Environment.GetEnvironmentVariable("DEVSPACES_AGENT_BASE_IMAGE") ?? AgentSettings.DefaultBaseImage,
        });
        rpc.AddLocalRpcTarget<IConnectRpc>(composition.Connect, null);
        return composition;
    }

    public async ValueTask DisposeAsync()
    {
        if (Connect != null)
        {
            await Connect.DisposeAsync().ConfigureAwait(false);
        }

        if (PortForwards != null)
        {
            await PortForwards.DisposeAsync().ConfigureAwait(false);
        }

        if (forwardEvents != null)
        {
            await forwardEvents.DisposeAsync().ConfigureAwait(false);
        }

        if (imageProgress != null)
        {
            await imageProgress.DisposeAsync().ConfigureAwait(false);
        }

        if (Watch != null)
        {
            await Watch.DisposeAsync().ConfigureAwait(false);
        }

        if (StateWatch != null)
        {
            await StateWatch.DisposeAsync().ConfigureAwait(false);
        }

        Session.Dispose();
    }
}
