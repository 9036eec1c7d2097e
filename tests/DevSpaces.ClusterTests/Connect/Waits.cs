namespace DevSpaces.ClusterTests.Connect;

/// <summary>Waits on a condition with a timeout; the failure says what was awaited.</summary>
public static class Waits
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> what)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (!await condition())
        {
            try
            {
                await Task.Delay(100, cts.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"Timed out after {timeout.TotalSeconds:0} s waiting until {what()}.");
            }
        }
    }
}
