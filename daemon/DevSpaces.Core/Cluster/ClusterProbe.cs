using DevSpaces.Contracts;
using DevSpaces.Core.Cluster.Api;
using DevSpaces.Core.Errors;
using DevSpaces.Core.Workspace;

namespace DevSpaces.Core.Cluster;

/// <summary>Asks the workspace's API server for its version: reachable, credentials accepted, which Kubernetes.</summary>
public static class ClusterProbe
{
    public static async Task<ConnectionStatus> ProbeAsync(WorkspaceSession session, CancellationToken cancellationToken)
    {
        string? context = null;
        string? server = null;
        try
        {
            var config = session.LoadKubeconfig();
            context = session.EffectiveContext(config);
            server = context == null ? null : config.FindContext(context) is { } entry ? config.ServerOf(entry) : null;
            var connection = session.Connect();
            var version = await connection.ReadAsync(new ClusterOperation("get", "version"), ApiPaths.Version, ApiJson.Default.ApiVersion, cancellationToken).ConfigureAwait(false);
            return new ConnectionStatus(ConnectionState.Connected, connection.Context, connection.Target.Server, version.GitVersion, null);
        }
        catch (DevSpacesException ex)
        {
            return new ConnectionStatus(ConnectionState.Failed, context, server, null, ex.ToErrorInfo());
        }
    }
}
