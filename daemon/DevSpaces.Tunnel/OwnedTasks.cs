namespace DevSpaces.Tunnel;

/// <summary>
/// Background work owned by one object: started with a shared cancellation, failures logged, and all of it
/// cancelled and awaited on dispose.
/// </summary>
public sealed class OwnedTasks(Action<string> log) : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Lock gate = new();
    private readonly HashSet<Task> running = [];

    public CancellationToken Stopping => stop.Token;

    public void Start(string what, Func<CancellationToken, Task> work)
    {
        Task task;
        lock (gate)
        {
            if (stop.IsCancellationRequested)
            {
                return;
            }

            running.RemoveWhere(t => t.IsCompleted);
            task = RunAsync(what, work);
            running.Add(task);
        }
    }

    private async Task RunAsync(string what, Func<CancellationToken, Task> work)
    {
        await Task.Yield();
        try
        {
            await work(stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            log($"{what} failed: {e.Message}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task[] all;
        lock (gate)
        {
            stop.Cancel();
            all = [.. running];
        }

        await Task.WhenAll(all).ConfigureAwait(false);
        stop.Dispose();
    }
}
