namespace DevSpaces.Core.Debug;

/// <summary>A .NET process in a service's container, as its runtime describes itself on its diagnostic socket.</summary>
/// <param name="Pid">Its pid in the container (what the debugger there attaches to).</param>
/// <param name="RuntimeVersion">The runtime's product version (e.g. 10.0.1).</param>
/// <param name="EntryAssembly">The app's assembly name (known also while the runtime waits at start-up).</param>
/// <param name="CommandLine">Its command line (while the runtime waits at start-up, only the host's path).</param>
public sealed record DotNetProcess(int Pid, string RuntimeVersion, string EntryAssembly, string CommandLine);
