using DevSpaces.Helper.Protocol;

namespace DevSpaces.Core.Sync;

/// <summary>
/// One batch for the container: files whose content must travel (with the hash it has), files moved there instead of
/// sent again (a rename), and paths to delete.
/// </summary>
public sealed record SyncPlan(IReadOnlyList<FileEntry> Upserts, IReadOnlyList<MoveFile> Moves, IReadOnlyList<string> Deletes)
{
    public static SyncPlan Empty { get; } = new([], [], []);

    public bool IsEmpty => Upserts.Count == 0 && Moves.Count == 0 && Deletes.Count == 0;

    public long UploadBytes => Upserts.Sum(u => u.Size);

    /// <summary>Every path the batch touches: what an update rule is matched against.</summary>
    public IEnumerable<string> ChangedPaths =>
        Upserts.Select(u => u.Path).Concat(Moves.SelectMany(m => new[] { m.From, m.To })).Concat(Deletes);

    public override string ToString() => $"{Upserts.Count} to copy ({UploadBytes} bytes), {Moves.Count} moved, {Deletes.Count} to delete";
}
