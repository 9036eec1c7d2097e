using System.Threading.Channels;
using DevSpaces.Core.Rpc;

namespace DevSpaces.Core.PortForwarding;

/// <summary>
/// Sends values as notifications in the order they were reported, from a loop it owns, so reporters (socket and
/// watch callbacks) never wait for the client.
/// </summary>
public sealed class OrderedNotifications<T> : IProgress<T>, IAsyncDisposable
    where T : notnull
{
    private readonly Channel<T> _queue = Channel.CreateUnbounded<T>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IClientNotifier _notifier;
    private readonly string _method;
    private readonly Task _sender;

    public OrderedNotifications(IClientNotifier notifier, string method)
    {
        _notifier = notifier;
        _method = method;
        _sender = SendAsync();
    }

    public void Report(T value) => _queue.Writer.TryWrite(value);

    /// <summary>Sends what is queued, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _sender.ConfigureAwait(false);
    }

    private async Task SendAsync()
    {
        await foreach (var value in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            await _notifier.NotifyAsync(_method, value).ConfigureAwait(false);
        }
    }
}
