namespace DevSpaces.Helper.Protocol;

/// <summary>
/// Stops the app (SIGTERM to its process group, SIGKILL after <paramref name="GraceMilliseconds"/>) and starts it again.
/// Without a <paramref name="ReadyPort"/> its state is reported after <paramref name="SettleMilliseconds"/>, so that an
/// app failing at start is reported. With one, the report comes as soon as something listens on that port in the pod
/// (or the app exits), at the latest after <paramref name="ReadyTimeoutMilliseconds"/>: the app is then ready for
/// connections, not merely started.
/// </summary>
public sealed record RestartRequest(int GraceMilliseconds, int SettleMilliseconds, int ReadyPort = 0, int ReadyTimeoutMilliseconds = 0)
{
    public WireWriter Encode() => new WireWriter().Int(GraceMilliseconds).Int(SettleMilliseconds).Int(ReadyPort).Int(ReadyTimeoutMilliseconds);

    public static RestartRequest Read(WireReader reader) => new(reader.Int(), reader.Int(), reader.Int(), reader.Int());
}
