namespace DevSpaces.Core.Project;

/// <summary>What a changed file does to the running service (<c>updates[].action</c> of <c>devspaces.yaml</c>).</summary>
public enum UpdateAction
{
    /// <summary>Copied in place; nothing restarts.</summary>
    Copy,

    /// <summary>Copied, then the process restarts; the pod stays.</summary>
    Restart,

    /// <summary>Copied, the build step (<c>run.build</c>) runs, then the process restarts.</summary>
    Build,

    /// <summary>The image is rebuilt and redeployed.</summary>
    Rebuild,
}
