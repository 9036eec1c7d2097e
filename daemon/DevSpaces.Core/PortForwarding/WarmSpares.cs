namespace DevSpaces.Core.PortForwarding;

/// <summary>
/// A few pre-opened pod connections for one forwarded port. Each pod connection costs a WebSocket upgrade through
/// the API server, two TLS handshakes and a kubelet relay process (10–20 ms); opening the next ones while the
/// current connection is served takes that off the path of connection-heavy clients. Spares are opened only
/// after a local connection arrived and live briefly (servers time out connections that send nothing), so an
/// idle forward holds none.
/// </summary>
public sealed class WarmSpares(
    Func<CancellationToken, Task<PodConnection>> open, Func<string?> currentPod, int count, TimeSpan lifetime) : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _lifetimes = [];
    private readonly List<Spare> _ready = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _opening;
    private int _waiting;
    private int _generation;

    private bool Enabled => count > 0 && lifetime > TimeSpan.Zero;

    /// <summary>
    /// Takes a spare to the current pod; waits for one that is being opened, since that is sooner than opening
    /// another. Null when there is none to have.
    /// </summary>
    public async Task<PodConnection?> TakeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                // A spare the server already closed would hand the client an empty connection: drop those.
                foreach (var ended in _ready.Where(r => r.Connection.Channel.HasEnded).ToList())
                {
                    _ready.Remove(ended);
                    ended.Expiry.Cancel();
                }

                var pod = currentPod();
                var index = _ready.FindIndex(r => r.Connection.Pod == pod);
                if (index >= 0)
                {
                    var spare = _ready[index];
                    _ready.RemoveAt(index);
                    spare.Taken = true;
                    spare.Expiry.Cancel();
                    return spare.Connection;
                }

                // Wait only for an open that no other connection is already waiting for; in a burst the rest
                // open their own rather than queue behind one spare.
                if (_opening <= _waiting || _stop.IsCancellationRequested)
                {
                    return null;
                }

                _waiting++;
                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                lock (_lock)
                {
                    _waiting--;
                }
            }
        }
    }

    /// <summary>Starts opening spares up to the wanted number.</summary>
    public void Replenish()
    {
        if (!Enabled)
        {
            return;
        }

        lock (_lock)
        {
            if (_stop.IsCancellationRequested)
            {
                return;
            }

            var pod = currentPod();
            var missing = count - _opening - _ready.Count(r => r.Connection.Pod == pod && !r.Connection.Channel.HasEnded);
            _lifetimes.RemoveAll(t => t.IsCompleted);
            for (var i = 0; i < missing; i++)
            {
                _opening++;
                _lifetimes.Add(LiveAsync(_stop.Token));
            }
        }
    }

    /// <summary>Drops every spare, ready or being opened: they reach a process that is gone (the app restarted).</summary>
    public void Discard()
    {
        lock (_lock)
        {
            _generation++;
            foreach (var spare in _ready)
            {
                spare.Expiry.Cancel();
            }

            _ready.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task[] lifetimes;
        lock (_lock)
        {
            _stop.Cancel();
            foreach (var spare in _ready)
            {
                spare.Expiry.Cancel();
            }

            Signal();
            lifetimes = [.. _lifetimes];
        }

        await Task.WhenAll(lifetimes).ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task LiveAsync(CancellationToken cancellationToken)
    {
        // Called under the lock: the generation this spare belongs to. Then leave the caller's lock and thread.
        var generation = _generation;
        await Task.Yield();
        PodConnection spare;
        try
        {
            spare = await open(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // No spare this time; a connection then opens its own and reports any failure.
            lock (_lock)
            {
                _opening--;
                Signal();
            }

            return;
        }

        spare.Channel.StartEarlyRead();
        using var expiry = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var entry = new Spare(spare, expiry);
        lock (_lock)
        {
            _opening--;
            if (generation == _generation)
            {
                _ready.Add(entry);
            }
            else
            {
                expiry.Cancel();
            }

            Signal();
        }

        try
        {
            await Task.Delay(lifetime, expiry.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        lock (_lock)
        {
            _ready.Remove(entry);
            if (entry.Taken)
            {
                return;
            }
        }

        await spare.Channel.DisposeAsync().ConfigureAwait(false);
    }

    private void Signal()
    {
        _changed.TrySetResult();
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Spare(PodConnection connection, CancellationTokenSource expiry)
    {
        public PodConnection Connection { get; } = connection;

        public CancellationTokenSource Expiry { get; } = expiry;

        /// <summary>Handed to a local connection, which now owns it; guarded by the pool's lock.</summary>
        public bool Taken { get; set; }
    }
}
