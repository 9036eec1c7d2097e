using System.Globalization;
using DevSpaces.Contracts;
using DevSpaces.Core.Routing;

namespace DevSpaces.Router;

/// <summary>
/// The last <see cref="Capacity"/> routed requests, oldest dropped first; readers ask for what came after the last
/// sequence they saw and may wait for the next one. A request is kept as it was seen (no text is made for it) and
/// turned into an <see cref="HttpTrace"/> only when read; only a waiting reader is woken.
/// </summary>
public sealed class TraceBuffer(int capacity = 4096)
{
    private const int MaxPathLength = 200;
    private readonly Lock gate = new();
    private readonly Seen[] ring = new Seen[capacity];
    private long next = 1;
    private TaskCompletionSource? waiting;

    public int Capacity => ring.Length;

    /// <summary>One request as the router saw it.</summary>
    public readonly record struct Seen(
        DateTime Arrived, RouteKey Key, RouteDecision Decision, string Service, string Method, string Path, int Status, double DurationMs, KeyDrop? KeyDropped);

    /// <summary>Records a request; its sequence number is its place in the ring.</summary>
    public void Add(in Seen seen)
    {
        TaskCompletionSource? wake;
        lock (gate)
        {
            ring[next % ring.Length] = seen;
            next++;
            wake = waiting;
            waiting = null;
        }

        wake?.TrySetResult();
    }

    /// <summary>The traces after <paramref name="after"/> still held, oldest first, at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<HttpTrace> After(long after, int limit = 1000)
    {
        var found = new List<(long, Seen)>();
        lock (gate)
        {
            var first = Math.Max(after + 1, Math.Max(1, next - ring.Length));
            for (var sequence = first; sequence < next && found.Count < limit; sequence++)
            {
                found.Add((sequence, ring[sequence % ring.Length]));
            }
        }

        return found.Select(f => Trace(f.Item1, f.Item2)).ToList();
    }

    /// <summary>Waits until a trace after <paramref name="after"/> exists, or the time is up.</summary>
    public async Task<IReadOnlyList<HttpTrace>> WaitAfterAsync(long after, TimeSpan wait, CancellationToken cancellationToken)
    {
        Task signal;
        lock (gate)
        {
            if (next - 1 > after)
            {
                signal = Task.CompletedTask;
            }
            else
            {
                waiting ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                signal = waiting.Task;
            }
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

    private static HttpTrace Trace(long sequence, Seen s) => new(
        sequence,
        s.Arrived.ToString("O", CultureInfo.InvariantCulture),
        s.Key.Asked,
        s.Key.Source.ToString().ToLowerInvariant(),
        s.Decision.Space,
        s.Service,
        s.Method,
        s.Path.Length <= MaxPathLength ? s.Path : s.Path[..MaxPathLength] + "…",
        s.Status,
        s.DurationMs,
        s.Decision.ServedBy,
        s.KeyDropped);
}
