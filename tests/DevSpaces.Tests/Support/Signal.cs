namespace DevSpaces.Tests.Support;

/// <summary>Waits for a condition on collected items, woken on every new item; every wait has a timeout and a reason.</summary>
public sealed class Signal<T>
{
    private readonly Lock gate = new();
    private readonly List<T> items = [];
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<T> Snapshot()
    {
        lock (gate)
        {
            return [.. items];
        }
    }

    public void Add(T item)
    {
        TaskCompletionSource wake;
        lock (gate)
        {
            items.Add(item);
            wake = changed;
            changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        wake.TrySetResult();
    }

    /// <summary>The first item (from <paramref name="from"/> on) that matches, or a failed assertion naming <paramref name="because"/>.</summary>
    public async Task<T> WaitForAsync(Func<T, bool> match, TimeSpan timeout, string because, int from = 0)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            Task wait;
            lock (gate)
            {
                var found = items.Skip(from).FirstOrDefault(match);
                if (found != null)
                {
                    return found;
                }

                wait = changed.Task;
            }

            try
            {
                await wait.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"Timed out after {timeout.TotalSeconds:0} s waiting for {because}. Seen:\n{string.Join("\n", Snapshot())}");
            }
        }
    }

    public int Count
    {
        get
        {
            lock (gate)
            {
                return items.Count;
            }
        }
    }
}
