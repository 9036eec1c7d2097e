using DevSpaces.Contracts;
using DevSpaces.Core.Logging;
using DevSpaces.Core.Watch;
using DevSpaces.Core.Workspace;

namespace DevSpaces.Core.Rpc;

/// <summary><c>initialize</c> and <c>shutdown</c>: opens the workspace, starts and stops the cluster watches.</summary>
public sealed class LifecycleHandler(WorkspaceSession session, SpaceWatch watch, WorkspaceStateWatch stateWatch, string version) : ILifecycleRpc
{
    private readonly TaskCompletionSource shutdownRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The feature names this daemon serves.</summary>
    public static IReadOnlyList<string> ServedCapabilities => Capabilities.All;

    /// <summary>Completes when the client asked to shut down.</summary>
    public Task ShutdownRequested => shutdownRequested.Task;

    public bool IsShuttingDown => shutdownRequested.Task.IsCompleted;

    public async Task<InitializeResult> InitializeAsync(string? clientName = null, string? clientVersion = null, string? workspaceFolder = null, CancellationToken cancellationToken = default)
    {
        if (workspaceFolder != null)
        {
            session.OpenFolder(workspaceFolder);
        }

        session.Log.Info($"initialize from {clientName ?? "a client"} {clientVersion}; workspace {session.WorkspaceFolder ?? "(none)"}");
        await stateWatch.RestartAsync().ConfigureAwait(false);
        await watch.RestartAsync(cancellationToken).ConfigureAwait(false);
        return new InitializeResult(version, Protocol.Version, ServedCapabilities, session.WorkspaceFolder);
    }

    public async Task ShutdownAsync(CancellationToken cancellationToken = default)
    {
        session.Log.Info("shutdown requested");
        await watch.StopAsync().ConfigureAwait(false);
        await stateWatch.StopAsync().ConfigureAwait(false);
        shutdownRequested.TrySetResult();
    }
}
