using DevSpaces.Core.PortForwarding;

namespace DevSpaces.ClusterTests.PortForwarding;

/// <summary>Collects forward events and lets a test wait for one.</summary>
public sealed class EventLog : IProgress<PortForwardEvent>
{
    private readonly List<PortForwardEvent> _events = [];
    private readonly Lock _lock = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<PortForwardEvent> Events
    {
        get
        {
            lock (_lock)
            {
                return _events.ToList();
            }
        }
    }

    public void Report(PortForwardEvent value)
    {
        TestContext.Progress.WriteLine($"[forward] {value.Kind}: {value.Message}");
        lock (_lock)
        {
            _events.Add(value);
            _changed.TrySetResult();
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public async Task<PortForwardEvent> WaitForAsync(Func<PortForwardEvent, bool> match, TimeSpan timeout, string reason)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                var found = _events.FirstOrDefault(match);
                if (found is not null)
                {
                    return found;
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"Timed out after {timeout.TotalSeconds:0} s waiting for {reason}. Events: {string.Join(" | ", Events.Select(e => e.Message))}");
            }
        }
    }
}
