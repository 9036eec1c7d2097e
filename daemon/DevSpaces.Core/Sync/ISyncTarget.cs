using DevSpaces.Helper.Protocol;

namespace DevSpaces.Core.Sync;

/// <summary>Where synced files go: the container's helper (or, in tests, anything that keeps a tree).</summary>
public interface ISyncTarget
{
    /// <summary>The files the target holds now, so a session (or the next one, after a restart of the daemon) sends only what differs.</summary>
    Task<IReadOnlyList<FileEntry>> ListFilesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Whether <see cref="ApplyAsync"/> hashes each file as it reads it and hands back that hash with the files sent:
    /// then a file that travels anyway need not be hashed before (<see cref="FolderScanner.HashDeferred"/>).
    /// </summary>
    bool HashesWhatItSends => false;

    /// <summary>Sends the plan's content from <paramref name="localRoot"/> and applies it as one batch.</summary>
    Task<SyncApplied> ApplyAsync(SyncPlan plan, string localRoot, CancellationToken cancellationToken);
}
