using DevSpaces.Contracts;

namespace DevSpaces.Core.Debug;

/// <summary>What debug mode put into the code's container.</summary>
/// <param name="Runtime">The runtime found.</param>
/// <param name="RemotePort">The debug port on the pod's loopback; null when the debugger runs in the container (.NET).</param>
/// <param name="StopOnEntry">The process waits for a debugger before its first line.</param>
/// <param name="Warnings">What the user should know (a launcher that would take the inspector, what is missing).</param>
public sealed record DebugSetup(DebugRuntime Runtime, int? RemotePort, bool StopOnEntry, IReadOnlyList<string> Warnings);
