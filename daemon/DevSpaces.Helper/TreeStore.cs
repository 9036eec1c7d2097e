using DevSpaces.Helper.Protocol;

namespace DevSpaces.Helper;

/// <summary>
/// The synced folder in the container: lists its files with their hashes (a file is hashed again only when its size
/// or modification time changed) and applies committed batches. Paths are checked on this side too: nothing is
/// written through a symbolic link or outside the root.
/// </summary>
internal sealed class TreeStore
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, CachedFile> cache = new(StringComparer.Ordinal);
    private long staged;

    public TreeStore(string root)
    {
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string StagingDirectory => Path.Combine(Root, HelperProtocol.StagingFolder);

    /// <summary>A new file name in the staging folder, which is on the root's file system, so the commit is a rename.</summary>
    public string NewStagingPath()
    {
        Directory.CreateDirectory(StagingDirectory);
        return Path.Combine(StagingDirectory, Interlocked.Increment(ref staged).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Every regular file under the root (symbolic links and the staging folder left out).</summary>
    public IReadOnlyList<FileEntry> List()
    {
        lock (gate)
        {
            return ListLocked();
        }
    }

    public BatchResult Apply(IncomingBatch batch)
    {
        lock (gate)
        {
            var applied = 0;
            var problems = new List<PathProblem>(batch.Problems);
            void Try(string path, Action action)
            {
                var unsafeReason = UnsafeReason(path);
                if (unsafeReason != null)
                {
                    problems.Add(new PathProblem(path, unsafeReason));
                    return;
                }

                try
                {
                    action();
                    applied++;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    problems.Add(new PathProblem(path, e.Message));
                }
            }

            // Moves read old paths, so they go first; then deletes, so a file may become a folder; then new content.
            foreach (var move in batch.Moves)
            {
                Try(move.To, () =>
                {
                    if (UnsafeReason(move.From) is { } fromReason)
                    {
                        throw new IOException($"cannot move from {move.From}: {fromReason}");
                    }

                    var target = Full(move.To);
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    File.Move(Full(move.From), target, overwrite: true);
                    PruneEmptyParents(move.From);
                });
            }

            foreach (var delete in batch.Deletes)
            {
                Try(delete, () =>
                {
                    var full = Full(delete);
                    if (File.Exists(full) || new FileInfo(full).LinkTarget != null)
                    {
                        File.Delete(full);
                    }
                    else if (Directory.Exists(full))
                    {
                        Directory.Delete(full, recursive: true);
                    }

                    PruneEmptyParents(delete);
                });
            }

            foreach (var put in batch.Puts)
            {
                Try(put.Path, () =>
                {
                    var target = Full(put.Path);
                    if (Directory.Exists(target) && new FileInfo(target).LinkTarget == null)
                    {
                        throw new IOException("a folder of that name is in the way");
                    }

                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    File.SetUnixFileMode(put.StagedPath, put.Executable ? (UnixFileMode)0b111_101_101 : (UnixFileMode)0b110_100_100);
                    File.Move(put.StagedPath, target, overwrite: true);
                    var written = new FileInfo(target);
                    cache[put.Path] = new CachedFile(written.Length, written.LastWriteTimeUtc.Ticks, put.Hash, put.Executable);
                });
            }

            batch.DiscardStaged();
            try
            {
                Directory.Delete(StagingDirectory);
            }
            catch (IOException)
            {
                // Another connection's batch is still staging, or there was nothing staged.
            }

            var files = ListLocked();
            return new BatchResult(applied, problems, files.Count, TreeHash.Compute(files));
        }
    }

    /// <summary>Null when writing or deleting <paramref name="path"/> stays inside the root, else why not.</summary>
    public string? UnsafeReason(string path)
    {
        if (SyncPath.Problem(path) is { } problem)
        {
            return problem;
        }

        var current = Root;
        var segments = path.Split('/');
        for (var i = 0; i < segments.Length - 1; i++)
        {
            current = Path.Combine(current, segments[i]);
            if (new FileInfo(current).LinkTarget != null)
            {
                return $"{string.Join('/', segments[..(i + 1)])} is a symbolic link in the container; the helper writes nothing through links";
            }

            if (!Directory.Exists(current))
            {
                // The rest is created as real folders (or, under a file, fails).
                return null;
            }
        }

        return null;
    }

    private string Full(string path) => Path.Combine(Root, path);

    private void PruneEmptyParents(string path)
    {
        var parent = Path.GetDirectoryName(Full(path));
        while (parent != null && parent.Length > Root.Length && Directory.Exists(parent) && !Directory.EnumerateFileSystemEntries(parent).Any())
        {
            Directory.Delete(parent);
            parent = Path.GetDirectoryName(parent);
        }
    }

    private List<FileEntry> ListLocked()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var files = new List<FileEntry>();
        Walk(new DirectoryInfo(Root), "", seen, files);
        foreach (var gone in cache.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            cache.Remove(gone);
        }

        return files;
    }

    private void Walk(DirectoryInfo directory, string prefix, HashSet<string> seen, List<FileEntry> files)
    {
        foreach (var info in directory.EnumerateFileSystemInfos())
        {
            if (info.Attributes.HasFlag(FileAttributes.ReparsePoint))
            {
                continue;
            }

            var path = prefix + info.Name;
            if (info is DirectoryInfo sub)
            {
                if (path != HelperProtocol.StagingFolder)
                {
                    Walk(sub, path + "/", seen, files);
                }

                continue;
            }

            var file = (FileInfo)info;
            var ticks = file.LastWriteTimeUtc.Ticks;
            if (!cache.TryGetValue(path, out var cached) || cached.Size != file.Length || cached.ModifiedTicks != ticks)
            {
                string hash;
                try
                {
                    hash = ContentHasher.OfFile(file.FullName);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Unreadable (or gone meanwhile): not part of the tree the daemon can compare.
                    continue;
                }

                cached = new CachedFile(file.Length, ticks, hash, (file.UnixFileMode & UnixFileMode.UserExecute) != 0);
                cache[path] = cached;
            }

            seen.Add(path);
            files.Add(new FileEntry(path, cached.Hash, cached.Size, cached.Executable));
        }
    }

    private readonly record struct CachedFile(long Size, long ModifiedTicks, string Hash, bool Executable);
}
