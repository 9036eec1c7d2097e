namespace DevSpaces.Helper.Protocol;

/// <summary>
/// Stops the app (SIGTERM to its process group, SIGKILL after <paramref name="GraceMilliseconds"/>), starts it again
/// and reports its state after <paramref name="SettleMilliseconds"/>, so that an app failing at start is reported.
/// </summary>
public sealed record RestartRequest(int GraceMilliseconds, int SettleMilliseconds)
{
    public WireWriter Encode() => new WireWriter().Int(GraceMilliseconds).Int(SettleMilliseconds);

    public static RestartRequest Read(WireReader reader) => new(reader.Int(), reader.Int());
}
