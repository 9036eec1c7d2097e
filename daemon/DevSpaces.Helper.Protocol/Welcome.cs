namespace DevSpaces.Helper.Protocol;

/// <summary>The helper's answer to hello: its protocol version, its own process id (1 as a pod's init), the synced root and the app's pid (0 when not running).</summary>
public sealed record Welcome(int ProtocolVersion, int HelperPid, string Root, int AppPid)
{
    public WireWriter Encode() => new WireWriter().Int(ProtocolVersion).Int(HelperPid).String(Root).Int(AppPid);

    public static Welcome Read(WireReader reader) => new(reader.Int(), reader.Int(), reader.String(), reader.Int());
}
