using DevSpaces.Core.Sync;
using DevSpaces.Helper.Protocol;

namespace DevSpaces.Core.Up;

/// <summary>
/// A sync target that only remembers what it was sent: a session over it reports every change to files that are not
/// synced (a Dockerfile, a csproj), so their update rules (rebuild) still run.
/// </summary>
internal sealed class WatchOnlyTarget : ISyncTarget
{
    private readonly Dictionary<string, FileEntry> files = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<FileEntry>> ListFilesAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<FileEntry>>(files.Values.ToList());

    public Task<SyncApplied> ApplyAsync(SyncPlan plan, string localRoot, CancellationToken cancellationToken)
    {
        foreach (var move in plan.Moves)
        {
            if (files.Remove(move.From, out var moved))
            {
                files[move.To] = moved with { Path = move.To };
            }
        }

        foreach (var delete in plan.Deletes)
        {
            files.Remove(delete);
        }

        foreach (var upsert in plan.Upserts)
        {
            files[upsert.Path] = upsert;
        }

        var applied = plan.Upserts.Count + plan.Moves.Count + plan.Deletes.Count;
        return Task.FromResult(new SyncApplied(new BatchResult(applied, [], files.Count, ""), plan.Upserts));
    }
}
