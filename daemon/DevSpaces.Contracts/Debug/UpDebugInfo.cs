namespace DevSpaces.Contracts;

/// <summary>How to attach a debugger to a service that is up in debug mode.</summary>
/// <param name="Runtime">The runtime, which picks the debugger.</param>
/// <param name="RemotePort">The debug port inside the pod (on loopback); null for .NET, whose debugger runs in the container.</param>
/// <param name="LocalPort">The port on this machine forwarded to it; null when nothing is forwarded.</param>
/// <param name="StopOnEntry">The process waits for a debugger before its first line (Node.js, Java).</param>
/// <param name="RemoteRoot">The container folder the service's folder maps to (sync.to, else run.workingDir).</param>
public sealed record UpDebugInfo(DebugRuntime Runtime, int? RemotePort, int? LocalPort, bool StopOnEntry, string? RemoteRoot);
