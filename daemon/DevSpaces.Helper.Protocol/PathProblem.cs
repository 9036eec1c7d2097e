namespace DevSpaces.Helper.Protocol;

/// <summary>A path that could not be synced, and why.</summary>
public sealed record PathProblem(string Path, string Message)
{
    public void Write(WireWriter writer) => writer.String(Path).String(Message);

    public static PathProblem Read(WireReader reader) => new(reader.String(), reader.String());
}
