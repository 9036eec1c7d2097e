using System.Runtime.InteropServices;
using DevSpaces.Helper.Protocol;

namespace DevSpaces.Helper;

/// <summary>
/// The synced folder in the container: lists its files with their hashes (a file is hashed again only when its size
/// or modification time changed) and applies batches as their frames arrive. Paths are checked on this side too: nothing is
/// written through a symbolic link or outside the root.
/// </summary>
internal sealed class TreeStore
{
    // Puts (creating a partial file, renaming it into place) share the tree: they only make files and real folders, so
    // several writers may put side by side. A move, a delete or a listing has it alone. The cache and the real folders
    // are guarded by their own lock, as puts side by side change them.
    private readonly ReaderWriterLockSlim changes = new(LockRecursionPolicy.NoRecursion);
    private readonly Lock state = new();
    private readonly Dictionary<string, CachedFile> cache = new(StringComparer.Ordinal);

    // Folders (root-relative) a put found or made real, not links: later puts into them skip the lookups. A move or
    // delete may change what a path is, so it clears them, as does the end of a batch.
    private readonly HashSet<string> realFolders = new(StringComparer.Ordinal);
    private long partials;

    public TreeStore(string root)
    {
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    /// <summary>
    /// Creates the hidden file a received file is written to, in the folder it goes to (made if missing), so putting it
    /// in place is a rename within that folder and the file system allocates it near its folder, as it does the files
    /// tar writes; null when done, else why not.
    /// </summary>
    public PathProblem? CreatePartial(string path, out Microsoft.Win32.SafeHandles.SafeFileHandle? handle, out string? partialPath)
    {
        (handle, partialPath) = (null, null);
        var folder = FolderOf(path);
        changes.EnterReadLock();
        try
        {
            if (Unsafe(path, folder) is { } reason)
            {
                return new PathProblem(path, reason);
            }

            var directory = Path.GetDirectoryName(Full(path))!;
            var partial = Path.Combine(directory, HelperProtocol.PartialPrefix + Interlocked.Increment(ref partials).ToString(System.Globalization.CultureInfo.InvariantCulture));
            try
            {
                if (!IsReal(folder))
                {
                    Directory.CreateDirectory(directory);
                }
            }
            catch (UnauthorizedAccessException e)
            {
                return NotWritable(path, directory, e.Message);
            }
            catch (IOException e)
            {
                return new PathProblem(path, $"cannot be written: {e.Message}");
            }

            // A partial file a stopped helper left under the same name is ours to overwrite.
            var fd = Native.Open(partial, Native.O_WRONLY | Native.O_CREAT | Native.O_TRUNC | Native.O_CLOEXEC, 0b110_100_100);
            if (fd < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                var message = Marshal.GetPInvokeErrorMessage(errno);
                return errno is Native.EACCES or Native.EPERM ? NotWritable(path, directory, message) : new PathProblem(path, $"cannot be written: {message}");
            }

            handle = new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: true);
            MarkReal(folder);
            partialPath = partial;
            return null;
        }
        finally
        {
            changes.ExitReadLock();
        }
    }

    /// <summary>Every regular file under the root (symbolic links and files still being received left out).</summary>
    public IReadOnlyList<FileEntry> List()
    {
        changes.EnterWriteLock();
        try
        {
            return ListLocked();
        }
        finally
        {
            changes.ExitWriteLock();
        }
    }

    /// <summary>Moves a file to another path; null when done, else why not.</summary>
    public PathProblem? Move(MoveFile move) => Change(move.To, () =>
    {
        realFolders.Clear();
        if (UnsafeReason(move.From) is { } fromReason)
        {
            throw new IOException($"cannot move from {move.From}: {fromReason}");
        }

        var target = Full(move.To);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Move(Full(move.From), target, overwrite: true);
        PruneEmptyParents(move.From);
    });

    /// <summary>Deletes a file or folder (and the folders that leaves empty); null when done, else why not.</summary>
    public PathProblem? Delete(string path) => Change(path, () =>
    {
        realFolders.Clear();
        var full = Full(path);
        if (File.Exists(full) || new FileInfo(full).LinkTarget != null)
        {
            File.Delete(full);
        }
        else if (Directory.Exists(full))
        {
            Directory.Delete(full, recursive: true);
        }

        PruneEmptyParents(path);
    });

    /// <summary>Renames a received file from its partial name beside it into place; null when done, else why not.</summary>
    public PathProblem? Put(StagedFile put)
    {
        var folder = FolderOf(put.Path);
        return Change(put.Path, () =>
        {
            if (Native.Rename(put.StagedPath, Full(put.Path)) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                throw new IOException(errno is Native.EISDIR or Native.ENOTEMPTY or Native.EEXIST ? "a folder of that name is in the way" : Marshal.GetPInvokeErrorMessage(errno));
            }

            MarkReal(folder);
            lock (state)
            {
                cache[put.Path] = new CachedFile(put.Size, put.ModifiedTicks, put.Hash, put.Executable);
            }
        }, folder, shared: true);
    }

    /// <summary>
    /// Ends a batch whose changes were applied as they arrived: a file still partial goes, and the tree is listed
    /// (files hashed again only where they changed since) for its count and <see cref="TreeHash"/>.
    /// </summary>
    public BatchResult Complete(IncomingBatch batch)
    {
        batch.WaitForWriters();
        batch.DiscardStaged();
        changes.EnterWriteLock();
        try
        {
            realFolders.Clear();
            var files = ListLocked();
            return new BatchResult(batch.Applied, batch.Problems, files.Count, TreeHash.Compute(files));
        }
        finally
        {
            changes.ExitWriteLock();
        }
    }

    /// <summary>
    /// One change to the tree, under the lock (<paramref name="shared"/> by puts), if <paramref name="path"/> stays
    /// inside the root. Changes are applied in the order they arrive: a batch sends moves first (they read old paths),
    /// then deletes (so a file may become a folder), then new content, so the last write wins.
    /// </summary>
    private PathProblem? Change(string path, Action action, string? checkedFolder = null, bool shared = false)
    {
        if (shared)
        {
            changes.EnterReadLock();
        }
        else
        {
            changes.EnterWriteLock();
        }

        try
        {
            if (Unsafe(path, checkedFolder) is { } unsafeReason)
            {
                return new PathProblem(path, unsafeReason);
            }

            action();
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new PathProblem(path, e.Message);
        }
        finally
        {
            if (shared)
            {
                changes.ExitReadLock();
            }
            else
            {
                changes.ExitWriteLock();
            }
        }
    }

    private bool IsReal(string folder)
    {
        lock (state)
        {
            return realFolders.Contains(folder);
        }
    }

    private void MarkReal(string folder)
    {
        lock (state)
        {
            realFolders.Add(folder);
        }
    }

    private static PathProblem NotWritable(string path, string directory, string cause) =>
        new(path, $"cannot be written: {directory} is not writable by the container's user ({cause}); give the folder to that user in the image, e.g. COPY --chown=<uid>:<gid>");

    // A folder a put found real needs no lookups again.
    private string? Unsafe(string path, string? checkedFolder) =>
        checkedFolder != null && IsReal(checkedFolder) ? SyncPath.Problem(path) : UnsafeReason(path);

    private static string FolderOf(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash < 0 ? "" : path[..slash];
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
                Walk(sub, path + "/", seen, files);
                continue;
            }

            if (info.Name.StartsWith(HelperProtocol.PartialPrefix, StringComparison.Ordinal))
            {
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
