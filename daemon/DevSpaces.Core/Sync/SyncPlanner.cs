using DevSpaces.Helper.Protocol;

namespace DevSpaces.Core.Sync;

/// <summary>Decides what travels: the difference between the local files and what the container holds.</summary>
public static class SyncPlanner
{
    /// <param name="local">The synced local files.</param>
    /// <param name="remote">The container's files (as its helper listed them, updated with every applied batch).</param>
    /// <param name="rules">Only container files the rules select are deleted; others (built output, installed packages) stay.</param>
    /// <param name="skipped">Selected local paths that were not synced (too large, refused): their container copy stays as it is.</param>
    public static SyncPlan Plan(IReadOnlyDictionary<string, FileEntry> local, IReadOnlyDictionary<string, FileEntry> remote, SyncRules rules, IReadOnlySet<string> skipped)
    {
        var upserts = local.Values
            .Where(file => !remote.TryGetValue(file.Path, out var there) || there.Hash != file.Hash || there.Executable != file.Executable)
            .OrderBy(file => file.Path, StringComparer.Ordinal)
            .ToList();
        var deletes = remote.Keys
            .Where(path => !local.ContainsKey(path) && !skipped.Contains(path) && rules.Selects(path))
            .Order(StringComparer.Ordinal)
            .ToList();

        // A deleted file whose content reappears at a new path was renamed: move it there instead of sending it.
        var moves = new List<MoveFile>();
        var deletedByHash = deletes.GroupBy(path => (remote[path].Hash, remote[path].Executable)).ToDictionary(g => g.Key, g => new Queue<string>(g));
        foreach (var upsert in upserts.ToList())
        {
            if (!remote.ContainsKey(upsert.Path) && deletedByHash.TryGetValue((upsert.Hash, upsert.Executable), out var sources) && sources.Count > 0)
            {
                var from = sources.Dequeue();
                moves.Add(new MoveFile(from, upsert.Path));
                upserts.Remove(upsert);
                deletes.Remove(from);
            }
        }

        return new SyncPlan(upserts, moves, deletes);
    }
}
