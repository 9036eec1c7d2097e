namespace DevSpaces.Core.Watch;

/// <summary>
/// How patient a <see cref="ListWatch{T}"/> is: after a failure, and after a stream that ended at once without
/// delivering anything, it waits <see cref="Initial"/>, doubling up to <see cref="Max"/>, until a stream stays open.
/// </summary>
public sealed record WatchBackoff
{
    public TimeSpan Initial { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan Max { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A stream that ends sooner than this without an event or bookmark "ended at once".</summary>
    public TimeSpan MinStreamLifetime { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How a wait is made (tests record it instead of waiting).</summary>
    public Func<TimeSpan, CancellationToken, Task> Delay { get; init; } = Task.Delay;

    /// <summary>The wait after the <paramref name="round"/>-th unproductive round in a row (1-based).</summary>
    public TimeSpan After(int round) =>
        TimeSpan.FromTicks(Math.Min(Max.Ticks, Initial.Ticks * (1L << Math.Clamp(round - 1, 0, 20))));
}
