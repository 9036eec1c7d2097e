using DevSpaces.Core.Errors;
using DevSpaces.Core.Logging;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace DevSpaces.Cli.Daemon;

/// <summary>
/// The daemon's connection. It is the guard around every RPC method: a failure that is not one of ours
/// (<see cref="LocalRpcException"/>) is logged with its stack trace and answered as <see cref="UnexpectedFailure"/>,
/// naming the method, the cause in one line and the log file. It also knows when the answer to <c>shutdown</c> has
/// been written, so the process can exit without cutting it off.
/// </summary>
public sealed class DaemonRpc(IJsonRpcMessageHandler handler, Func<bool> shuttingDown, ILog log, string? logFile) : JsonRpc(handler)
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

    protected override JsonRpcError.ErrorDetail CreateErrorDetails(JsonRpcRequest request, Exception exception)
    {
        if (exception is LocalRpcException or OperationCanceledException)
        {
            return base.CreateErrorDetails(request, exception);
        }

        var method = request.Method ?? "(no method)";
        UnexpectedFailure.Log(log, method, exception);
        return base.CreateErrorDetails(request, UnexpectedFailure.Describe(method, exception, logFile));
    }
}
