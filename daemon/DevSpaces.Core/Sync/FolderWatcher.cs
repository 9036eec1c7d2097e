namespace DevSpaces.Core.Sync;

/// <summary>
/// Turns file system events under a folder into rescan hints: the folder that holds each changed path (a rename
/// hints both ends). The events are only hints: <see cref="FileSystemWatcher"/> drops events when its buffer
/// overflows, and then the whole folder is hinted.
/// </summary>
public sealed class FolderWatcher : IDisposable
{
    private readonly FileSystemWatcher watcher;
    private readonly string root;

    /// <param name="hint">Called on the watcher's thread with a folder-relative folder ("" for the root, and after an overflow).</param>
    public FolderWatcher(string root, Action<string> hint)
    {
        this.root = Path.GetFullPath(root);
        watcher = new FileSystemWatcher(this.root)
        {
            IncludeSubdirectories = true,
            InternalBufferSize = 64 * 1024,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.Attributes,
        };
        void OnChange(object sender, FileSystemEventArgs e) => hint(DirtyFolders.ParentOf(Relative(e.FullPath)));
        watcher.Changed += OnChange;
        watcher.Created += OnChange;
        watcher.Deleted += OnChange;
        watcher.Renamed += (sender, e) =>
        {
            hint(DirtyFolders.ParentOf(Relative(e.OldFullPath)));
            hint(DirtyFolders.ParentOf(Relative(e.FullPath)));
        };
        watcher.Error += (sender, e) => hint("");
        watcher.EnableRaisingEvents = true;
    }

    public void Dispose() => watcher.Dispose();

    private string Relative(string fullPath)
    {
        var relative = Path.GetRelativePath(root, fullPath).Replace('\\', '/');
        return relative == "." || relative.StartsWith("../", StringComparison.Ordinal) ? "" : relative;
    }
}
