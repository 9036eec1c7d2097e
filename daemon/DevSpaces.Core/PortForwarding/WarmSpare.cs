namespace DevSpaces.Core.PortForwarding;

/// <summary>
/// One pre-opened pod connection for a forwarded port, made right after a connection was accepted so that the
/// next one skips the WebSocket, TLS and kubelet set-up (several milliseconds). A spare lives only briefly
/// (servers time out connections that send nothing) and only while the forward is in use; an idle forward holds
/// none.
/// </summary>
public sealed class WarmSpare(Func<CancellationToken, Task<PodConnection>> open, Func<string?> currentPod, TimeSpan lifetime) : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _lifetimes = [];
    private PodConnection? _ready;
    private CancellationTokenSource? _expiry;
    private bool _opening;

    /// <summary>Takes the spare when it is open and still points at the current pod; null otherwise.</summary>
    public PodConnection? TryTake()
    {
        lock (_lock)
        {
            var spare = _ready;
            if (spare is null || spare.Pod != currentPod())
            {
                return null;
            }

            _ready = null;
            _expiry?.Cancel();
            return spare;
        }
    }

    /// <summary>Starts opening a new spare unless one is ready or on its way.</summary>
    public void Replenish()
    {
        if (lifetime <= TimeSpan.Zero)
        {
            return;
        }

        lock (_lock)
        {
            if (_stop.IsCancellationRequested || _opening || _ready is not null)
            {
                return;
            }

            _opening = true;
            _lifetimes.RemoveAll(t => t.IsCompleted);
            _lifetimes.Add(LiveAsync(_stop.Token));
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task[] lifetimes;
        lock (_lock)
        {
            _stop.Cancel();
            _expiry?.Cancel();
            lifetimes = [.. _lifetimes];
        }

        await Task.WhenAll(lifetimes).ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task LiveAsync(CancellationToken cancellationToken)
    {
        PodConnection spare;
        try
        {
            spare = await open(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // No spare this time; the next connection opens its own and reports any failure.
            lock (_lock)
            {
                _opening = false;
            }

            return;
        }

        using var expiry = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        lock (_lock)
        {
            _opening = false;
            _ready = spare;
            _expiry = expiry;
        }

        try
        {
            await Task.Delay(lifetime, expiry.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        var unused = false;
        lock (_lock)
        {
            if (ReferenceEquals(_ready, spare))
            {
                _ready = null;
                unused = true;
            }

            if (ReferenceEquals(_expiry, expiry))
            {
                _expiry = null;
            }
        }

        if (unused)
        {
            await spare.Channel.DisposeAsync().ConfigureAwait(false);
        }
    }
}
