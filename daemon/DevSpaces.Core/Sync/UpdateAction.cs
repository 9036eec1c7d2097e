namespace DevSpaces.Core.Sync;

/// <summary>What a change makes happen after it is copied, from least to most; a batch takes its strongest.</summary>
public enum UpdateAction
{
    /// <summary>Copied in place; nothing restarts (static files, interpreted code with its own reload).</summary>
    Copy = 0,

    /// <summary>Copied, then the app process restarts; the pod stays.</summary>
    Restart = 1,

    /// <summary>Copied, then the build step runs in the container, then the app restarts.</summary>
    Build = 2,

    /// <summary>The image is rebuilt and redeployed (Dockerfile, dependencies).</summary>
    Rebuild = 3,
}
