using System.IO.Pipelines;
using DevSpaces.Core.Errors;
using DevSpaces.Core.Logging;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace DevSpaces.Cli.Daemon;

/// <summary>
/// Content-Length framing on the daemon's stdin/stdout that names protocol errors as such. A body that is not a
/// JSON-RPC message (not JSON, or JSON of another shape) is logged and skipped: its length was known, so the next
/// frame starts right after it and the daemon keeps serving. A malformed header (a non-numeric Content-Length, a
/// missing one, a line without CRLF) loses the framing: that is logged and recorded as <see cref="ProtocolError"/>,
/// and the connection ends. Every message read is told to <paramref name="activity"/> (the idle trim).
/// </summary>
public sealed class DaemonMessageHandler(PipeWriter writer, PipeReader reader, IJsonRpcMessageFormatter formatter, ILog log, Action? activity = null)
    : HeaderDelimitedMessageHandler(writer, reader, formatter)
{
    private volatile string? protocolError;

    /// <summary>Why the client's stream could not be read any further, when that was a protocol error.</summary>
    public string? ProtocolError => protocolError;

    protected override async ValueTask<JsonRpcMessage?> ReadCoreAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                var message = await base.ReadCoreAsync(cancellationToken).ConfigureAwait(false);
                activity?.Invoke();
                return message;
            }
            catch (BadRpcHeaderException e)
            {
                protocolError = $"a malformed message header ({e.Message.TrimEnd('.')}), so the next message cannot be found";
                log.Error($"protocol error: {protocolError}");
                throw;
            }
            catch (Exception e) when (e is not (OperationCanceledException or EndOfStreamException or IOException or ObjectDisposedException))
            {
                log.Error($"protocol error: a message body is not a JSON-RPC message ({UnexpectedFailure.Cause(e)}); it is skipped and the daemon keeps serving");
            }
        }
    }
}
