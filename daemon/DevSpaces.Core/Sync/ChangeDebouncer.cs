namespace DevSpaces.Core.Sync;

/// <summary>
/// Coalesces change hints into one rescan: due when no hint came for <see cref="Quiet"/>, or at the latest
/// <see cref="MaxDelay"/> after the first one, so a long burst (a branch switch) still syncs in steps. The rescan
/// reads the files as they are then, so the last write always wins. Time is passed in: the decision is pure.
/// </summary>
public sealed class ChangeDebouncer(TimeSpan quiet, TimeSpan maxDelay)
{
    private readonly HashSet<string> folders = new(StringComparer.Ordinal);
    private DateTimeOffset? first;
    private DateTimeOffset last;

    public TimeSpan Quiet { get; } = quiet;

    public TimeSpan MaxDelay { get; } = maxDelay;

    /// <summary>When the pending hints are due, or null when there are none.</summary>
    public DateTimeOffset? DueAt =>
        first is { } start ? Min(last + Quiet, start + MaxDelay) : null;

    /// <summary>A folder (folder-relative, "" for all) whose content may have changed.</summary>
    public void Hint(string folder, DateTimeOffset now)
    {
        first ??= now;
        last = now;
        folders.Add(folder);
    }

    /// <summary>The folders to rescan when due (coalesced), else null; taking them starts a new window.</summary>
    public IReadOnlyList<string>? TakeIfDue(DateTimeOffset now)
    {
        if (DueAt is not { } due || now < due)
        {
            return null;
        }

        var dirty = DirtyFolders.Coalesce(folders);
        folders.Clear();
        first = null;
        return dirty;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
