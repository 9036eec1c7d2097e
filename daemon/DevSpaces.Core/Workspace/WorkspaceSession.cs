using DevSpaces.Contracts;
using DevSpaces.Core.Cluster;
using DevSpaces.Core.Logging;
using DevSpaces.Core.Rpc;

namespace DevSpaces.Core.Workspace;

/// <summary>
/// What one workspace folder works with: its kubeconfig, its chosen context and selected space, and the
/// connection to that context's cluster. Shared by the CLI commands and the daemon's handlers.
/// </summary>
public sealed class WorkspaceSession(KubeconfigSource kubeconfig, IClientNotifier notifier, ILog log, string? workspaceFolder) : IDisposable
{
    private readonly Lock gate = new();
    private readonly List<Func<CancellationToken, Task>> contextChangedHandlers = [];
    private WorkspaceStateStore store = new(workspaceFolder);
    private ClusterConnection? connection;
    private string? connectionKey;

    public string? WorkspaceFolder => store.Folder;

    public IClientNotifier Notifier => notifier;

    public ILog Log => log;

    /// <summary>Switches to another workspace folder (the daemon learns it in <c>initialize</c>).</summary>
    public void OpenFolder(string? folder)
    {
        lock (gate)
        {
            store = new WorkspaceStateStore(folder);
        }
    }

    /// <summary>Called after the workspace switched context (the daemon restarts its watches).</summary>
    public void OnContextChanged(Func<CancellationToken, Task> handler)
    {
        lock (gate)
        {
            contextChangedHandlers.Add(handler);
        }
    }

    public WorkspaceState State
    {
        get
        {
            lock (gate)
            {
                return store.Load();
            }
        }
    }

    public LoadedKubeconfig LoadKubeconfig() => kubeconfig.Load();

    /// <summary>The workspace's own context if the kubeconfig still has it, else the kubeconfig's current-context.</summary>
    public string? EffectiveContext(LoadedKubeconfig config)
    {
        var chosen = State.Context;
        if (chosen != null && config.FindContext(chosen) != null)
        {
            return chosen;
        }

        return string.IsNullOrEmpty(config.Config.CurrentContext) ? null : config.Config.CurrentContext;
    }

    /// <summary>The connection to the workspace's cluster; rebuilt when the context or the kubeconfig files change.</summary>
    public ClusterConnection Connect()
    {
        var config = LoadKubeconfig();
        var context = EffectiveContext(config) ?? throw new Errors.DevSpacesException(
            RpcErrorCode.ContextNotFound,
            $"The kubeconfig {string.Join(", ", config.Files)} has no current context.",
            "Choose one with 'devspaces context use <name>' (or kubectl config use-context).");
        var key = context + "|" + string.Join("|", config.Files.Select(f => $"{f}@{File.GetLastWriteTimeUtc(f).Ticks}"));
        lock (gate)
        {
            if (connection != null && connectionKey == key)
            {
                return connection;
            }
        }

        var opened = ClusterConnection.Open(config, context);
        lock (gate)
        {
            // Old connections are not disposed here: a watch or call may still use them; they hold no more than an HttpClient.
            connection = opened;
            connectionKey = key;
            return opened;
        }
    }

    /// <summary>The context, the selected space and the folder.</summary>
    public Selection CurrentSelection(string? reason = null)
    {
        string? context = null;
        try
        {
            context = EffectiveContext(LoadKubeconfig());
        }
        catch (Errors.DevSpacesException)
        {
            context = State.Context;
        }

        return new Selection(context, State.Space, WorkspaceFolder, reason);
    }

    /// <summary>Remembers <paramref name="space"/> as selected and tells the client.</summary>
    public async Task<Selection> SelectSpaceAsync(string? space, string? reason)
    {
        lock (gate)
        {
            store.Save(store.Load() with { Space = space });
        }

        log.Info(space == null ? $"selection cleared{(reason == null ? "" : ": " + reason)}" : $"space '{space}' selected");
        var selection = CurrentSelection(reason);
        await notifier.NotifyAsync(RpcNotifications.SelectionChanged, selection).ConfigureAwait(false);
        return selection;
    }

    /// <summary>Makes the workspace use <paramref name="context"/>; the selection is cleared when the context changes.</summary>
    public async Task<bool> UseContextAsync(string context, CancellationToken cancellationToken)
    {
        var config = LoadKubeconfig();
        if (config.FindContext(context) == null)
        {
            throw ClusterConnection.ContextNotFound(config, context);
        }

        var previous = EffectiveContext(config);
        var changed = previous != context;
        List<Func<CancellationToken, Task>> handlers;
        lock (gate)
        {
            var state = store.Load();
            store.Save(new WorkspaceState(context, changed ? null : state.Space));
            handlers = [.. contextChangedHandlers];
        }

        log.Info($"context '{context}' in use (was '{previous}')");
        if (changed)
        {
            await notifier.NotifyAsync(RpcNotifications.SelectionChanged, CurrentSelection($"Context changed to '{context}'.")).ConfigureAwait(false);
            foreach (var handler in handlers)
            {
                await handler(cancellationToken).ConfigureAwait(false);
            }
        }

        return changed;
    }

    public void Dispose()
    {
        lock (gate)
        {
            connection?.Dispose();
            connection = null;
        }
    }
}
