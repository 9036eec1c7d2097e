namespace DevSpaces.Core.Lifetime;

/// <summary>How an owner ends a long-running loop it started: cancel it, then wait for it to finish.</summary>
public static class OwnedLoop
{
    /// <summary>Cancels <paramref name="stop"/> and awaits <paramref name="loop"/>; the loop's own cancellation is the expected end.</summary>
    public static async Task CancelAndWaitAsync(CancellationTokenSource stop, Task loop)
    {
        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
