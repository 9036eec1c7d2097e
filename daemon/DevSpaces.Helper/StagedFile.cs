namespace DevSpaces.Helper;

/// <summary>A received file waiting in the staging folder for its batch's commit.</summary>
internal sealed record StagedFile(string Path, string StagedPath, string Hash, bool Executable);
