using DevSpaces.Core.Logging;
using StreamJsonRpc;

namespace DevSpaces.Core.Rpc;

/// <summary>Sends notifications over the daemon's JSON-RPC connection, params as one object.</summary>
public sealed class JsonRpcClientNotifier(JsonRpc rpc, ILog log) : IClientNotifier
{
    public async Task NotifyAsync(string method, object parameters)
    {
        try
        {
            await rpc.NotifyWithParameterObjectAsync(method, parameters).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ConnectionLostException or ObjectDisposedException)
        {
            // The client is gone; the daemon is about to exit.
            log.Debug($"notification {method} not sent: {ex.Message}");
        }
    }
}
