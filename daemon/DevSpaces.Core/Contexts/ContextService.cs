using DevSpaces.Contracts;
using DevSpaces.Core.Cluster;
using DevSpaces.Core.Workspace;

namespace DevSpaces.Core.Contexts;

/// <summary>Kubeconfig contexts of the workspace and the reachability of its cluster.</summary>
public sealed class ContextService(WorkspaceSession session) : IContextRpc
{
    public Task<ContextList> ListContextsAsync(CancellationToken cancellationToken = default)
    {
        var config = session.LoadKubeconfig();
        var current = session.EffectiveContext(config);
        var contexts = config.Contexts
            .Select(c => new ContextInfo(c.Name, c.Cluster, c.User, c.Namespace, config.ServerOf(c), c.Name == current))
            .ToList();
        return Task.FromResult(new ContextList(contexts, current, config.Files));
    }

    public async Task<ConnectionStatus> UseContextAsync(string name, CancellationToken cancellationToken = default)
    {
        await session.UseContextAsync(name, cancellationToken).ConfigureAwait(false);
        return await GetStatusAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<ConnectionStatus> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        var status = await ClusterProbe.ProbeAsync(session, cancellationToken).ConfigureAwait(false);
        await session.Notifier.NotifyAsync(RpcNotifications.ConnectionStatus, status).ConfigureAwait(false);
        return status;
    }
}
