namespace DevSpaces.Core.Sync;

/// <summary>A local path that is not synced although the rules select it: too large, or a link that leaves the project.</summary>
public sealed record SyncProblem(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
