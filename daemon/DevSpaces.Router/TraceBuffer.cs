using DevSpaces.Contracts;
using DevSpaces.Core.Routing;

namespace DevSpaces.Router;

/// <summary>
/// The last <see cref="Capacity"/> routed requests, oldest dropped first; readers ask for what came after the last
/// sequence they saw and may wait for the next one.
/// </summary>
public sealed class TraceBuffer(int capacity = 4096)
{
    private readonly Lock gate = new();
    private readonly HttpTrace[] ring = new HttpTrace[capacity];
    private long next = 1;
    private TaskCompletionSource added = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Capacity => ring.Length;

    /// <summary>Records a request; its sequence number is assigned here.</summary>
    public void Add(HttpTrace trace)
    {
        TaskCompletionSource wake;
        lock (gate)
        {
            ring[next % ring.Length] = trace with { Sequence = next };
            next++;
            wake = added;
            added = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        wake.TrySetResult();
    }

    /// <summary>The traces after <paramref name="after"/> still held, oldest first, at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<HttpTrace> After(long after, int limit = 1000)
    {
        lock (gate)
        {
            var first = Math.Max(after + 1, Math.Max(1, next - ring.Length));
            var result = new List<HttpTrace>();
            for (var sequence = first; sequence < next && result.Count < limit; sequence++)
            {
                result.Add(ring[sequence % ring.Length]);
            }

            return result;
        }
    }

    /// <summary>Waits until a trace after <paramref name="after"/> exists, or the time is up.</summary>
    public async Task<IReadOnlyList<HttpTrace>> WaitAfterAsync(long after, TimeSpan wait, CancellationToken cancellationToken)
    {
        Task signal;
        bool ready;
        lock (gate)
        {
            ready = next - 1 > after;
            signal = added.Task;
        }

        if (ready)
        {
            return After(after);
        }

        try
        {
            await signal.WaitAsync(wait, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }

        return After(after);
    }
}
