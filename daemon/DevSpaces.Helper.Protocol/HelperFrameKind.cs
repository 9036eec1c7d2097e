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

    /// <summary>Batch: applies everything announced under this request id. Reply: <see cref="BatchResult"/>.</summary>
    Commit = 7,

    /// <summary>Request: restarts the app (<see cref="RestartRequest"/> payload). Reply: <see cref="AppStatus"/>.</summary>
    Restart = 8,

    /// <summary>Request: no payload. Reply: <see cref="AppStatus"/>.</summary>
    GetStatus = 9,

    Welcome = 64,
    ManifestPart = 65,
    BatchResult = 66,
    AppStatus = 67,

    /// <summary>Reply to any request that failed as a whole: a message.</summary>
    Error = 127,
}
