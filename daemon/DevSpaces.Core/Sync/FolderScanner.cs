using System.IO.Enumeration;
using DevSpaces.Helper.Protocol;

namespace DevSpaces.Core.Sync;

/// <summary>
/// The local side's manifest: every synced file with its content hash. A rescan hashes only files whose size or
/// modification time changed, so scanning an unchanged tree costs one directory walk. A scan can be limited to the
/// folders a watcher reported. Symbolic links are followed only to files inside the project; links out of it (or
/// dangling, or to folders) are refused and reported, as are files larger than the rules allow.
/// </summary>
public sealed class FolderScanner
{
    private readonly string rootPrefix;
    private readonly Dictionary<string, FileEntry> files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CachedHash> hashes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SyncProblem> problems = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool> selected = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Unhashed> unhashed = new(StringComparer.Ordinal);
    private bool deferHashing;

    // Hidden files are synced like any other; links are not followed into folders.
    private static readonly EnumerationOptions WalkOptions = new() { AttributesToSkip = 0, IgnoreInaccessible = true, RecurseSubdirectories = false };

    public FolderScanner(string root, SyncRules rules)
    {
        Root = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar);
        rootPrefix = Root + Path.DirectorySeparatorChar;
        Rules = rules;
    }

    public string Root { get; }

    public SyncRules Rules { get; }

    /// <summary>The synced files after the last scan, by folder-relative path.</summary>
    public IReadOnlyDictionary<string, FileEntry> Files => files;

    /// <summary>Selected paths that are not synced, and why.</summary>
    public IReadOnlyCollection<SyncProblem> Problems => problems.Values;

    public IReadOnlySet<string> SkippedPaths => problems.Keys.ToHashSet(StringComparer.Ordinal);

    /// <summary>The hash of a listed file whose hashing was deferred (<see cref="ScanAll(bool)"/>).</summary>
    public const string NotHashed = "";

    /// <summary>Scans the whole folder.</summary>
    public void ScanAll() => ScanAll(deferHashing: false);

    /// <summary>
    /// Scans the whole folder; with <paramref name="deferHashing"/>, files not hashed before are listed with
    /// <see cref="NotHashed"/> until <see cref="HashDeferred"/> hashes them or <see cref="Hashed"/> is told their hash
    /// (a file that travels is hashed on the way, so it need not be read twice).
    /// </summary>
    public void ScanAll(bool deferHashing)
    {
        this.deferHashing = deferHashing;
        try
        {
            Scan([""]);
        }
        finally
        {
            this.deferHashing = false;
        }
    }

    /// <summary>Hashes the deferred files <paramref name="needed"/> selects (all when null).</summary>
    public void HashDeferred(Func<FileEntry, bool>? needed = null)
    {
        foreach (var (path, file) in unhashed.Where(u => needed == null || needed(files[u.Key])).ToList())
        {
            unhashed.Remove(path);
            files.Remove(path);
            Add(path, file.FullPath, file.Size, file.ModifiedTicks);
        }
    }

    /// <summary>
    /// A deferred file's hash as it was read while it travelled; it is kept for the size and modification time the
    /// scan saw only if the size read is the one the scan saw (a later write changes the modification time, so the
    /// next scan hashes the file again).
    /// </summary>
    public void Hashed(FileEntry read)
    {
        if (!unhashed.Remove(read.Path, out var file))
        {
            return;
        }

        if (read.Size == file.Size)
        {
            hashes[read.Path] = new CachedHash(file.Size, file.ModifiedTicks, read.Hash, file.Executable);
            files[read.Path] = new FileEntry(read.Path, read.Hash, file.Size, file.Executable);
        }
        else
        {
            files.Remove(read.Path);
            Add(read.Path, file.FullPath, file.Size, file.ModifiedTicks);
        }
    }

    /// <summary>
    /// Scans the given folders (folder-relative, forward slashes, "" for the root) and everything under them; what
    /// the manifest held under them and is gone now is dropped.
    /// </summary>
    public void Scan(IEnumerable<string> folders)
    {
        foreach (var folder in DirtyFolders.Coalesce(folders))
        {
            var prefix = folder.Length == 0 ? "" : folder + "/";
            if (prefix.Length == 0)
            {
                files.Clear();
                problems.Clear();
                unhashed.Clear();
            }
            else
            {
                foreach (var path in files.Keys.Where(p => p.StartsWith(prefix, StringComparison.Ordinal)).ToList())
                {
                    files.Remove(path);
                }

                foreach (var path in problems.Keys.Where(p => p.StartsWith(prefix, StringComparison.Ordinal)).ToList())
                {
                    problems.Remove(path);
                }

                foreach (var path in unhashed.Keys.Where(p => p.StartsWith(prefix, StringComparison.Ordinal)).ToList())
                {
                    unhashed.Remove(path);
                }
            }

            var directory = folder.Length == 0 ? Root : Path.Combine(Root, folder);
            if (folder.Length > 0 && !Rules.MayHoldSelected(folder))
            {
                continue;
            }

            if (Directory.Exists(directory) && !ThroughLink(folder))
            {
                Walk(directory, prefix);
            }
        }

        // Hashes of files that are gone are not needed again.
        if (hashes.Count > files.Count * 2 + 1024)
        {
            foreach (var stale in hashes.Keys.Where(p => !files.ContainsKey(p)).ToList())
            {
                hashes.Remove(stale);
            }
        }
    }

    private void Walk(string directory, string prefix)
    {
        List<Entry> entries;
        try
        {
            // FileSystemEntry carries the status the enumeration read; no FileInfo per file.
            entries = new FileSystemEnumerable<Entry>(directory, (ref FileSystemEntry e) => new Entry(
                e.FileName.ToString(),
                e.IsDirectory,
                e.Attributes.HasFlag(FileAttributes.ReparsePoint),
                e.IsDirectory ? 0 : e.Length,
                e.IsDirectory ? 0 : e.LastWriteTimeUtc.UtcTicks), WalkOptions).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Removed while we looked, or unreadable: nothing of it is synced.
            return;
        }

        foreach (var entry in entries)
        {
            var path = prefix + entry.Name;
            if (entry.IsDirectory && !entry.IsLink)
            {
                if (Rules.MayHoldSelected(path))
                {
                    Walk(Path.Combine(directory, entry.Name), path + "/");
                }

                continue;
            }

            if (!IsSelected(path))
            {
                continue;
            }

            if (!entry.IsLink)
            {
                Add(path, Path.Combine(directory, entry.Name), entry.Length, entry.ModifiedTicks);
            }
            else if (LinkedFile(new FileInfo(Path.Combine(directory, entry.Name)), path) is { } target)
            {
                Add(path, target.FullName, target.Length, target.LastWriteTimeUtc.Ticks);
            }
        }
    }

    /// <summary>Whether a folder-relative folder is, or lies under, a symbolic link (which a scan never follows).</summary>
    private bool ThroughLink(string folder)
    {
        var current = Root;
        foreach (var segment in folder.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, segment);
            if (new DirectoryInfo(current).LinkTarget != null)
            {
                return true;
            }
        }

        return false;
    }

    private bool IsSelected(string path)
    {
        if (!selected.TryGetValue(path, out var yes))
        {
            selected[path] = yes = Rules.Selects(path);
        }

        return yes;
    }

    private FileInfo? LinkedFile(FileSystemInfo link, string path)
    {
        FileSystemInfo? target;
        try
        {
            target = link.ResolveLinkTarget(returnFinalTarget: true);
        }
        catch (IOException)
        {
            target = null;
        }

        if (target == null || !target.Exists)
        {
            problems[path] = new SyncProblem(path, "a symbolic link to nothing; not synced");
            return null;
        }

        if (!target.FullName.StartsWith(rootPrefix, StringComparison.Ordinal))
        {
            problems[path] = new SyncProblem(path, $"a symbolic link out of the project (to {target.FullName}); refused");
            return null;
        }

        if (target is not FileInfo file)
        {
            problems[path] = new SyncProblem(path, "a symbolic link to a folder; links to folders are not followed");
            return null;
        }

        return file;
    }

    private void Add(string path, string fullPath, long length, long ticks)
    {
        if (length > Rules.MaxFileSize)
        {
            problems[path] = new SyncProblem(path, $"{Megabytes(length)} is over the sync limit of {Megabytes(Rules.MaxFileSize)}; skipped");
            return;
        }

        if (!hashes.TryGetValue(path, out var cached) || cached.Size != length || cached.ModifiedTicks != ticks)
        {
            if (deferHashing)
            {
                bool executable;
                try
                {
                    executable = IsExecutable(fullPath);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    return;
                }

                unhashed[path] = new Unhashed(fullPath, length, ticks, executable);
                files[path] = new FileEntry(path, NotHashed, length, executable);
                return;
            }

            try
            {
                cached = new CachedHash(length, ticks, TreeHash.OfFile(fullPath), IsExecutable(fullPath));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone or locked meanwhile: the watcher reports its next state.
                return;
            }

            hashes[path] = cached;
        }

        files[path] = new FileEntry(path, cached.Hash, cached.Size, cached.Executable);
    }

    private static bool IsExecutable(string fullPath) =>
        !OperatingSystem.IsWindows() && (File.GetUnixFileMode(fullPath) & UnixFileMode.UserExecute) != 0;

    private static string Megabytes(long bytes) => $"{bytes / (1024.0 * 1024.0):0.#} MB";

    private readonly record struct CachedHash(long Size, long ModifiedTicks, string Hash, bool Executable);

    private readonly record struct Unhashed(string FullPath, long Size, long ModifiedTicks, bool Executable);

    private readonly record struct Entry(string Name, bool IsDirectory, bool IsLink, long Length, long ModifiedTicks);
}
