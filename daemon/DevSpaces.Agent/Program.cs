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

var restored = await new AgentHost(options, Log).RunAsync(stop.Token);
if (restored)
{
    // Our own Deployment is being deleted: wait for its SIGTERM rather than exit into a container restart.
    Log("workload restored; waiting for this pod to be deleted");
    try
    {
        await Task.Delay(TimeSpan.FromSeconds(30), stop.Token);
    }
    catch (OperationCanceledException)
    {
    }
}

Log(restored ? "exiting" : "stopped");
return 0;
