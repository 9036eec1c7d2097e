namespace DevSpaces.Core.Project;

/// <summary>What a changed file does to the running service (<c>updates[].action</c> of <c>devspaces.yaml</c>); a later one is stronger.</summary>
public enum UpdateAction
{
    /// <summary>Copied in place; nothing restarts.</summary>
    Copy,

    /// <summary>Copied, then the process restarts; the pod stays.</summary>
    Restart,

    /// <summary>Copied, the build step (<c>run.build</c>) runs in the container, then the process restarts.</summary>
    Build,

    /// <summary><c>run.compile</c> runs on this machine, its changed output is copied into the container, then the process restarts.</summary>
    Compile,

    /// <summary>The image is rebuilt and redeployed.</summary>
    Rebuild,
}
