using System.Threading.Channels;
using DevSpaces.Core.Lifetime;
using DevSpaces.Core.Logging;

namespace DevSpaces.Core.Workspace;

/// <summary>
/// Notices when another process (the CLI in a terminal, another window) changes the workspace's
/// <c>.devspaces/state.json</c>, through file system events, and lets the session tell the client.
/// </summary>
public sealed class WorkspaceStateWatch(WorkspaceSession session) : IAsyncDisposable
{
    private readonly Lock gate = new();
    private FileSystemWatcher? watcher;
    private CancellationTokenSource? stop;
    private Task? loop;

    /// <summary>(Re)starts watching the session's workspace folder; does nothing without one.</summary>
    public async Task RestartAsync()
    {
        await StopAsync().ConfigureAwait(false);
        var folder = session.WorkspaceFolder;
        if (folder == null)
        {
            return;
        }

        var directory = Path.Combine(folder, ".devspaces");
        try
        {
            Directory.CreateDirectory(directory);
            var ignore = Path.Combine(directory, ".gitignore");
            if (!File.Exists(ignore))
            {
                // Selections are personal: keep them out of the repository.
                await File.WriteAllTextAsync(ignore, "*\n").ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            session.Log.Warn($"cannot watch {directory}: {ex.Message}");
            return;
        }

        session.MarkStateKnown();
        var changes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        var fileWatcher = new FileSystemWatcher(directory, "state.json")
        {
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size,
        };
        fileWatcher.Changed += (_, _) => changes.Writer.TryWrite(true);
        fileWatcher.Created += (_, _) => changes.Writer.TryWrite(true);
        fileWatcher.Renamed += (_, _) => changes.Writer.TryWrite(true);
        fileWatcher.Deleted += (_, _) => changes.Writer.TryWrite(true);
        fileWatcher.EnableRaisingEvents = true;
        var cts = new CancellationTokenSource();
        lock (gate)
        {
            watcher = fileWatcher;
            stop = cts;
            loop = Task.Run(() => ReadChangesAsync(changes.Reader, cts.Token), CancellationToken.None);
        }
    }

    public async Task StopAsync()
    {
        FileSystemWatcher? fileWatcher;
        CancellationTokenSource? cts;
        Task? task;
        lock (gate)
        {
            (fileWatcher, cts, task) = (watcher, stop, loop);
            (watcher, stop, loop) = (null, null, null);
        }

        fileWatcher?.Dispose();
        if (cts == null)
        {
            return;
        }

        await OwnedLoop.CancelAndWaitAsync(cts, task!).ConfigureAwait(false);

        cts.Dispose();
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private async Task ReadChangesAsync(ChannelReader<bool> changes, CancellationToken cancellationToken)
    {
        await foreach (var _ in changes.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await session.RefreshFromDiskAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                session.Log.Warn($"reading the workspace state after a change failed: {ex.Message}");
            }
        }
    }
}
