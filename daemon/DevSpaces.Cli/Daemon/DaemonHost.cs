using System.Diagnostics;
using System.IO.Pipelines;
using DevSpaces.Contracts;
using DevSpaces.Core.Cluster;
using DevSpaces.Core.Logging;
using StreamJsonRpc;

namespace DevSpaces.Cli.Daemon;

/// <summary>
/// Runs the daemon on a pair of streams (stdin/stdout, or pipes in tests): JSON-RPC with Content-Length
/// framing and System.Text.Json. Returns when the client shuts it down, closes the input, or its process exits.
/// </summary>
public static class DaemonHost
{
    /// <summary>The exit code when the client's stream broke the protocol so that it could not be read any further.</summary>
    public const int ProtocolErrorExitCode = 3;

    public static async Task<int> RunAsync(Stream input, Stream output, DaemonOptions options, ILog log, CancellationToken cancellationToken)
    {
        var formatter = new SystemTextJsonFormatter();
        RpcJson.Configure(formatter.JsonSerializerOptions);
        // Pipes over the streams whose flush writes through to stdout, so that once a response counts as sent
        // it is on the wire (a pumped pipe could still hold the answer to shutdown when the process exits).
        await using var idleTrim = IdleTrim.ForDaemon(log);
        var handler = new DaemonMessageHandler(PipeWriter.Create(output), PipeReader.Create(input), formatter, log, idleTrim.Activity);
        Composition? composition = null;
        using var rpc = new DaemonRpc(handler, () => composition?.Lifecycle?.IsShuttingDown == true, log, options.LogFile);
        rpc.TraceSource = new TraceSource("devspaces-rpc", SourceLevels.Warning);
        rpc.TraceSource.Listeners.Clear();
        rpc.TraceSource.Listeners.Add(new LogTraceListener(log));
        rpc.CancelLocallyInvokedMethodsWhenConnectionIsClosed = true;

        var exitCode = 0;
        composition = Composition.ForDaemon(KubeconfigSource.FromEnvironment(options.Kubeconfig), log, rpc, Program.ProductVersion, options.WatchTimeout);
        await using (composition.ConfigureAwait(false))
        {
            rpc.StartListening();
            log.Info($"daemon {Program.ProductVersion} listening (pid {Environment.ProcessId}, client pid {options.ClientPid?.ToString() ?? "none"})");

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var clientExited = WaitForClientExitAsync(options.ClientPid, log, stop.Token);
            var cancelled = Task.Delay(Timeout.Infinite, stop.Token);
            var finished = await Task.WhenAny(rpc.Completion, rpc.ShutdownAnswered, clientExited, cancelled).ConfigureAwait(false);
            var protocolError = finished == rpc.Completion ? handler.ProtocolError : null;
            var reason = finished == rpc.ShutdownAnswered ? "shutdown requested"
                : finished == clientExited ? $"client process {options.ClientPid} exited"
                : protocolError != null ? $"protocol error: {protocolError}"
                : finished == rpc.Completion ? "the client closed the connection"
                : "asked to stop (signal)";
            log.Info($"daemon exiting: {reason}");
            if (finished == rpc.Completion && rpc.Completion.IsFaulted && protocolError == null)
            {
                log.Warn($"connection ended with an error: {rpc.Completion.Exception?.GetBaseException().Message}");
            }

            await stop.CancelAsync().ConfigureAwait(false);
            await IgnoreCancellation(clientExited).ConfigureAwait(false);
            await IgnoreCancellation(cancelled).ConfigureAwait(false);
            exitCode = protocolError == null ? 0 : ProtocolErrorExitCode;
        }

        return exitCode;
    }

    private static async Task WaitForClientExitAsync(int? pid, ILog log, CancellationToken cancellationToken)
    {
        if (pid == null)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            return;
        }

        Process client;
        try
        {
            client = Process.GetProcessById(pid.Value);
        }
        catch (ArgumentException)
        {
            log.Warn($"client process {pid} is not running");
            return;
        }

        using (client)
        {
            await client.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task IgnoreCancellation(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
