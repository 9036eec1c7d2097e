using DevSpaces.Helper.Protocol;

namespace DevSpaces.Core.Sync;

/// <summary>A batch as the container took it: the helper's result, and the files as sent (their hash is of the bytes that travelled, which a file written meanwhile makes differ from the plan's).</summary>
public sealed record SyncApplied(BatchResult Result, IReadOnlyList<FileEntry> Sent);
