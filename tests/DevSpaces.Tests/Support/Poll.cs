namespace DevSpaces.Tests.Support;

/// <summary>Waits for a condition that nothing signals, checking it at an interval; every wait has a timeout and a reason.</summary>
public static class Poll
{
    /// <summary>Checks <paramref name="condition"/> until it holds; fails naming <paramref name="reason"/> after <paramref name="timeout"/>.</summary>
    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> reason, TimeSpan? interval = null)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (!condition())
        {
            try
            {
                await Task.Delay(interval ?? TimeSpan.FromMilliseconds(50), cts.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"Timed out after {timeout.TotalSeconds:0.#} s waiting until {reason()}.");
            }
        }
    }
}
