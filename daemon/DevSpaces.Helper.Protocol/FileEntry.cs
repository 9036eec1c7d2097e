namespace DevSpaces.Helper.Protocol;

/// <summary>A file of a synced tree: root-relative path (forward slashes), SHA-256 of its content (lowercase hex), size, executable bit.</summary>
public sealed record FileEntry(string Path, string Hash, long Size, bool Executable)
{
    public void Write(WireWriter writer) => writer.String(Path).String(Hash).Long(Size).Bool(Executable);

    public static FileEntry Read(WireReader reader) => new(reader.String(), reader.String(), reader.Long(), reader.Bool());
}
