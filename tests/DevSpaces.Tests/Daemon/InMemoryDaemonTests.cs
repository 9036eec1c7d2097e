using DevSpaces.Cli.Daemon;
using DevSpaces.Tests.Support;

namespace DevSpaces.Tests.Daemon;

/// <summary>The daemon host in this process, on an in-memory duplex stream.</summary>
public class InMemoryDaemonTests : DaemonScenarios
{
    protected override DaemonConnection StartDaemon(string kubeconfig) =>
        DaemonConnection.Start(new DaemonOptions(null, null, kubeconfig));
}
