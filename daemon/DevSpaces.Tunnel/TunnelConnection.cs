using Nerdbank.Streams;
using StreamJsonRpc;

namespace DevSpaces.Tunnel;

/// <summary>
/// One authenticated tunnel: a <see cref="MultiplexingStream"/> over the raw stream, with a control channel that
/// carries JSON-RPC (MessagePack) in both directions. Connection channels are created next to it on demand.
/// </summary>
public sealed class TunnelConnection : IAsyncDisposable
{
    public const string ControlChannelName = "control";

    private TunnelConnection(MultiplexingStream multiplexer, JsonRpc rpc)
    {
        Multiplexer = multiplexer;
        Rpc = rpc;
    }

    public MultiplexingStream Multiplexer { get; }

    public JsonRpc Rpc { get; }

    /// <summary>Completes when either the multiplexer or the RPC connection ends.</summary>
    public Task Completion => Task.WhenAny(Multiplexer.Completion, Rpc.Completion);

    /// <summary>Opens the multiplexer and control channel; <paramref name="offersControl"/> is true on the daemon's side.</summary>
    public static async Task<TunnelConnection> OpenAsync<TLocal>(Stream stream, bool offersControl, TLocal localTarget, CancellationToken cancellationToken)
        where TLocal : class
    {
        var multiplexer = await MultiplexingStream.CreateAsync(stream, new MultiplexingStream.Options { ProtocolMajorVersion = 3 }, cancellationToken).ConfigureAwait(false);
        try
        {
            var control = offersControl
                ? await multiplexer.OfferChannelAsync(ControlChannelName, cancellationToken).ConfigureAwait(false)
                : await multiplexer.AcceptChannelAsync(ControlChannelName, cancellationToken).ConfigureAwait(false);
            var rpc = new JsonRpc(new LengthHeaderMessageHandler(control, new MessagePackFormatter()));
            rpc.AddLocalRpcTarget<TLocal>(localTarget, new JsonRpcTargetOptions { DisposeOnDisconnect = false });
            rpc.StartListening();
            return new TunnelConnection(multiplexer, rpc);
        }
        catch
        {
            await multiplexer.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Rpc.Dispose();
        await Multiplexer.DisposeAsync().ConfigureAwait(false);
    }
}
