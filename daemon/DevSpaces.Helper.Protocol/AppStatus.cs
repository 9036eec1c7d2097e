namespace DevSpaces.Helper.Protocol;

/// <summary>
/// The app's state, its pid (while running or of its last run), its exit code (after it exited) and a message;
/// <paramref name="Listening"/> after a restart that waited for the app's port: something listens on it.
/// </summary>
public sealed record AppStatus(AppState State, int Pid, int ExitCode, string Message, bool Listening = false)
{
    public WireWriter Encode() => new WireWriter().Int((int)State).Int(Pid).Int(ExitCode).String(Message).Int(Listening ? 1 : 0);

    public static AppStatus Read(WireReader reader) => new((AppState)reader.Int(), reader.Int(), reader.Int(), reader.String(), reader.Int() == 1);
}
