namespace DevSpaces.Helper;

/// <summary>A received file under its partial name beside its place, its mode set, with the size and modification time it was written with.</summary>
internal sealed record StagedFile(string Path, string StagedPath, string Hash, bool Executable, long Size, long ModifiedTicks);
