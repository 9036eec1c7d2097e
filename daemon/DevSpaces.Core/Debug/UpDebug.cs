namespace DevSpaces.Core.Debug;

/// <summary>Debug mode of <c>up</c>: the process starts with its runtime's debugger listening on loopback in the pod.</summary>
/// <param name="StopOnEntry">The process waits for a debugger before its first line (Node.js <c>--inspect-brk</c>, Java <c>suspend=y</c>).</param>
/// <param name="LocalPort">The local port the debug port is forwarded to; 0: a free one; null: the runtime's usual port (9229, 5005) when it is free, else a free one.</param>
/// <param name="DotNetDebuggerFolder">A local folder with a Linux vsdbg or netcoredbg that is copied into each pod of a .NET service (<see cref="DotNetDebugger"/>).</param>
public sealed record UpDebug(bool StopOnEntry, int? LocalPort, string? DotNetDebuggerFolder = null);
