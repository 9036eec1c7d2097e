namespace DevSpaces.Cli.Daemon;

/// <summary>Options of <c>devspaces daemon</c>.</summary>
/// <param name="ClientPid">The daemon exits when this process does.</param>
/// <param name="LogDirectory">Where the log file goes.</param>
/// <param name="Kubeconfig">--kubeconfig, else KUBECONFIG / ~/.kube/config.</param>
/// <param name="WatchTimeout">How long one watch stream stays open before it is resumed (tests shorten it).</param>
/// <param name="LogFile">The file in <paramref name="LogDirectory"/> the log is written to; errors name it.</param>
public sealed record DaemonOptions(int? ClientPid, string? LogDirectory, string? Kubeconfig, TimeSpan? WatchTimeout = null, string? LogFile = null);
