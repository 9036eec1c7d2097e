namespace DevSpaces.Helper.Protocol;

/// <summary>Announces a file whose <paramref name="Size"/> bytes follow as data frames.</summary>
public sealed record PutFile(string Path, long Size, bool Executable)
{
    public WireWriter Encode() => new WireWriter().String(Path).Long(Size).Bool(Executable);

    public static PutFile Read(WireReader reader) => new(reader.String(), reader.Long(), reader.Bool());
}
