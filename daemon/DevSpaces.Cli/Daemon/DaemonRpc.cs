using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace DevSpaces.Cli.Daemon;

/// <summary>The daemon's connection; knows when the answer to <c>shutdown</c> has been written, so the process can exit without cutting it off.</summary>
public sealed class DaemonRpc(IJsonRpcMessageHandler handler, Func<bool> shuttingDown) : JsonRpc(handler)
{
    private readonly TaskCompletionSource shutdownAnswered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task ShutdownAnswered => shutdownAnswered.Task;

    protected override void OnResponseSent(JsonRpcMessage response)
    {
        base.OnResponseSent(response);
        if (shuttingDown())
        {
            shutdownAnswered.TrySetResult();
        }
    }
}
