using DevSpaces.Tests.Support;

namespace DevSpaces.Tests.Daemon;

/// <summary>The built executable, started as the extension starts it, spoken to over its stdio.</summary>
public class ProcessDaemonTests : DaemonScenarios
{
    protected override DaemonConnection StartDaemon(string kubeconfig) =>
        DaemonProcess.Connect("--stdio", "--client-pid", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--kubeconfig", kubeconfig);
}
