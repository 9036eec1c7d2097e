namespace DevSpaces.Core.Sync;

/// <summary>The debounce window: a batch leaves after <see cref="Quiet"/> without changes, at the latest <see cref="MaxDelay"/> after the first.</summary>
public sealed record SyncTimings(TimeSpan Quiet, TimeSpan MaxDelay)
{
    public static SyncTimings Default { get; } = new(TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(1));
}
