using System.Runtime.InteropServices;
using DevSpaces.Agent;

// The agent logs to stderr; the kubelet keeps it as the container log.
static void Log(string message) => Console.Error.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {message}");

AgentOptions options;
try
{
    options = AgentOptions.FromEnvironment(Environment.GetEnvironmentVariable);
}
catch (InvalidOperationException e)
{
    Log($"devspaces-agent: {e.Message}");
    return 2;
}

using var stop = new CancellationTokenSource();
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
{
    context.Cancel = true;
    stop.Cancel();
});

// After restoring, RunAsync serves until this pod's SIGTERM (its Deployment is being deleted) rather than exit into a
// container restart.
var restored = await new AgentHost(options, Log).RunAsync(stop.Token);
Log(restored ? "exiting" : "stopped");
return 0;
