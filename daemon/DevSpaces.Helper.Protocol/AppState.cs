namespace DevSpaces.Helper.Protocol;

/// <summary>Where the app process stands.</summary>
public enum AppState
{
    /// <summary>Not started yet (the helper waits for a restart request when it has no command).</summary>
    NotStarted = 0,
    Running = 1,

    /// <summary>It ended on its own; <see cref="AppStatus.ExitCode"/> says how.</summary>
    Exited = 2,

    /// <summary>It could not be started at all (command not found, not executable); see the message.</summary>
    FailedToStart = 3,
}
