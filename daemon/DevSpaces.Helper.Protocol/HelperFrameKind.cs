namespace DevSpaces.Helper.Protocol;

/// <summary>What a frame carries. Requests come from the daemon; every request gets exactly one reply.</summary>
public enum HelperFrameKind : byte
{
    /// <summary>Request: the client's protocol version (int). Reply: <see cref="Welcome"/>.</summary>
    Hello = 1,

    /// <summary>Request: no payload. Replies: <see cref="ManifestPart"/> frames, the last one marked.</summary>
    GetManifest = 2,

    /// <summary>Batch: a file follows as <see cref="FileData"/> frames of the same request id (<see cref="PutFile"/> payload).</summary>
    PutFile = 3,

    /// <summary>Batch: the next bytes of the file announced last.</summary>
    FileData = 4,

    /// <summary>Batch: a file (or folder, with everything in it) to delete.</summary>
    Delete = 5,

    /// <summary>Batch: a file moved to another path (<see cref="MoveFile"/> payload).</summary>
    Move = 6,

    /// <summary>Batch: ends it (its changes were applied as they arrived, in order). Reply: <see cref="BatchResult"/>.</summary>
    Commit = 7,

    /// <summary>Request: restarts the app (<see cref="RestartRequest"/> payload). Reply: <see cref="AppStatus"/>.</summary>
    Restart = 8,

    /// <summary>Request: no payload. Reply: <see cref="AppStatus"/>.</summary>
    GetStatus = 9,

    /// <summary>
    /// Request: runs a program in the container with its standard streams carried over this connection, which from
    /// then on belongs to it (<see cref="ExecRequest"/> payload). Reply: <see cref="ExecStarted"/>, then
    /// <see cref="Stdout"/> and <see cref="Stderr"/> frames, then <see cref="Exited"/>.
    /// </summary>
    Exec = 10,

    /// <summary>Exec: the next bytes of the program's standard input; an empty payload closes it.</summary>
    Stdin = 11,

    Welcome = 64,
    ManifestPart = 65,
    BatchResult = 66,
    AppStatus = 67,

    /// <summary>Exec: the program runs (its pid, int).</summary>
    ExecStarted = 68,

    /// <summary>Exec: the next bytes the program wrote to its standard output.</summary>
    Stdout = 69,

    /// <summary>Exec: the next bytes the program wrote to its standard error.</summary>
    Stderr = 70,

    /// <summary>Exec: the program ended and both of its output streams are drained: its exit code (int; 128 + signal when a signal ended it).</summary>
    Exited = 71,

    /// <summary>Reply to any request that failed as a whole: a message.</summary>
    Error = 127,
}
