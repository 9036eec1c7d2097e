namespace DevSpaces.Helper.Protocol;

/// <summary>A file the daemon saw renamed; the helper moves it instead of receiving its content again.</summary>
public sealed record MoveFile(string From, string To)
{
    public WireWriter Encode() => new WireWriter().String(From).String(To);

    public static MoveFile Read(WireReader reader) => new(reader.String(), reader.String());
}
