namespace DevSpaces.Helper;

/// <summary>A received file in the staging folder, its mode set, with the size and modification time it was written with.</summary>
internal sealed record StagedFile(string Path, string StagedPath, string Hash, bool Executable, long Size, long ModifiedTicks);
