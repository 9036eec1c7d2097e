namespace DevSpaces.Contracts;

/// <summary>The runtime a service in debug mode runs, which says how its debugger is reached.</summary>
public enum DebugRuntime
{
    /// <summary>Node.js: the V8 inspector on loopback in the pod, forwarded to this machine.</summary>
    Node,

    /// <summary>Java: the JDWP agent on loopback in the pod, forwarded to this machine.</summary>
    Java,

    /// <summary>.NET: a debugger started inside the container (vsdbg or netcoredbg) through an exec bridge.</summary>
    DotNet,
}
