using DevSpaces.Contracts;
using DevSpaces.Core.Cluster;
using DevSpaces.Core.Logging;
using DevSpaces.Core.Rpc;

namespace DevSpaces.Core.Workspace;

/// <summary>
/// What one workspace folder works with: its kubeconfig, its chosen context and selected space, and the
/// connection to that context's cluster. Shared by the CLI commands and the daemon's handlers.
/// </summary>
public sealed class WorkspaceSession(IKubeconfigSource kubeconfig, IClientNotifier notifier, ILog log, string? workspaceFolder) : IDisposable
{
    private readonly Lock gate = new();
    private readonly List<Func<CancellationToken, Task>> contextChangedHandlers = [];
    private WorkspaceStateStore store = new(workspaceFolder);
    private WorkspaceState? known;
    private (string Key, LoadedKubeconfig Config)? kubeconfigCache;
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
            known = null;
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

    /// <summary>The merged kubeconfig, read again only when one of its files changed.</summary>
    public LoadedKubeconfig LoadKubeconfig()
    {
        var (files, _) = kubeconfig.Candidates();
        var key = string.Join("|", files.Select(f =>
        {
            var info = new FileInfo(f);
            return info.Exists ? $"{f}@{info.LastWriteTimeUtc.Ticks}:{info.Length}" : $"{f}@missing";
        }));
        lock (gate)
        {
            if (kubeconfigCache is { } cached && cached.Key == key)
            {
                return cached.Config;
            }
        }

        var loaded = kubeconfig.Load();
        lock (gate)
        {
            kubeconfigCache = (key, loaded);
        }

        return loaded;
    }

    /// <summary>The workspace's own context if the kubeconfig still has it, else the kubeconfig's current-context.</summary>
    public string? EffectiveContext(LoadedKubeconfig config)
    {
        var chosen = State.Context;
        if (chosen != null && config.FindContext(chosen) != null)
        {
            return chosen;
        }

        return string.IsNullOrEmpty(config.CurrentContext) ? null : config.CurrentContext;
    }

    /// <summary>The namespace the workspace's kubeconfig context names, if any.</summary>
    public string? ContextNamespace()
    {
        var config = LoadKubeconfig();
        var context = EffectiveContext(config);
        return context is null ? null : config.FindContext(context)?.Namespace;
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
            known = store.Load() with { Space = space };
            store.Save(known);
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
            known = new WorkspaceState(context, changed ? null : state.Space);
            store.Save(known);
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

    /// <summary>
    /// Re-reads the state file after another process (the CLI, another window) may have changed it, and
    /// tells the client when the selection or context differs from what this session last knew.
    /// </summary>
    public async Task RefreshFromDiskAsync(CancellationToken cancellationToken)
    {
        WorkspaceState now;
        WorkspaceState? before;
        List<Func<CancellationToken, Task>> handlers;
        try
        {
            lock (gate)
            {
                now = store.Load();
                before = known;
                known = now;
                handlers = [.. contextChangedHandlers];
            }
        }
        catch (Errors.DevSpacesException ex)
        {
            log.Warn($"{ex.Message} {ex.Detail}");
            return;
        }

        if (before == null || before == now)
        {
            return;
        }

        log.Info($"workspace state changed outside: context '{now.Context}', space '{now.Space}'");
        if (before.Context != now.Context)
        {
            foreach (var handler in handlers)
            {
                await handler(cancellationToken).ConfigureAwait(false);
            }
        }

        await notifier.NotifyAsync(RpcNotifications.SelectionChanged, CurrentSelection("Changed by another DevSpaces client in this folder.")).ConfigureAwait(false);
    }

    /// <summary>Remembers the current state file as known, so that only later changes count as made outside.</summary>
    public void MarkStateKnown()
    {
        try
        {
            lock (gate)
            {
                known = store.Load();
            }
        }
        catch (Errors.DevSpacesException ex)
        {
            log.Warn($"{ex.Message} {ex.Detail}");
        }
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
