namespace DevSpaces.Helper.Protocol;

/// <summary>The app's state, its pid (while running or of its last run), its exit code (after it exited) and a message.</summary>
public sealed record AppStatus(AppState State, int Pid, int ExitCode, string Message)
{
    public WireWriter Encode() => new WireWriter().Int((int)State).Int(Pid).Int(ExitCode).String(Message);

    public static AppStatus Read(WireReader reader) => new((AppState)reader.Int(), reader.Int(), reader.Int(), reader.String());
}
