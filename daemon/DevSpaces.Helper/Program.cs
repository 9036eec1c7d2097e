using System.Net.Sockets;
using System.Runtime.InteropServices;
using DevSpaces.Helper;
using DevSpaces.Helper.Protocol;

// The helper logs to stderr, which the kubelet keeps with the app's own output as the container log.
static void Log(string message) => Console.Error.WriteLine($"devspaces-helper: {message}");

const string Usage = """
    usage: devspaces-helper install DIR
           devspaces-helper run [--root DIR] [--listen ADDRESS:PORT] [--grace SECONDS] [-- COMMAND [ARG...]]
           devspaces-helper dotnet-processes
           devspaces-helper dotnet-resume PID
           devspaces-helper receive DIR
    """;

if (args.Length == 2 && args[0] == "install")
{
    // The init container copies the helper into the volume the app container shares with it.
    var target = Path.Combine(args[1], "devspaces-helper");
    File.Copy(Environment.ProcessPath!, target, overwrite: true);
    File.SetUnixFileMode(target, (UnixFileMode)0b111_101_101);
    Log($"installed {target}");
    return 0;
}

if (args is ["dotnet-processes"])
{
    return DotNetProcesses.List(Console.Out, Log);
}

if (args is ["dotnet-resume", var resumed])
{
    return DotNetProcesses.Resume(resumed, Console.Error);
}

if (args is ["receive", var into])
{
    return await Receiver.RunAsync(into, Console.Out, Console.Error);
}

if (args.Length == 0 || args[0] != "run")
{
    Console.Error.WriteLine(Usage);
    return 2;
}

var root = Directory.GetCurrentDirectory();
var listen = $"127.0.0.1:{HelperProtocol.DefaultPort}";
var grace = TimeSpan.FromSeconds(10);
var command = Array.Empty<string>();
for (var i = 1; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--root" when i + 1 < args.Length:
            root = args[++i];
            break;
        case "--listen" when i + 1 < args.Length:
            listen = args[++i];
            break;
        case "--grace" when i + 1 < args.Length && double.TryParse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture, out var seconds):
            grace = TimeSpan.FromSeconds(seconds);
            i++;
            break;
        case "--":
            command = args[(i + 1)..];
            i = args.Length;
            break;
        default:
            Console.Error.WriteLine($"devspaces-helper: unexpected argument '{args[i]}'\n{Usage}");
            return 2;
    }
}

var key = Environment.GetEnvironmentVariable(HelperProtocol.KeyVariable);
if (string.IsNullOrEmpty(key))
{
    Log($"{HelperProtocol.KeyVariable} is not set: the helper only serves a daemon that knows the session key. Set it in the container's environment.");
    return 2;
}

using var stop = new CancellationTokenSource();
void OnSignal(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}

using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);

var tree = new TreeStore(root);
var children = new Children(reapOrphans: Environment.ProcessId == 1);
var app = new AppProcess(command, Log, children);
var listener = new TcpListener(HelperServer.ParseEndpoint(listen));
listener.Start();
Log($"listening on {listener.LocalEndpoint}, syncing {tree.Root}, pid {Environment.ProcessId}");
if (command.Length > 0)
{
    app.Start();
}

var serving = new HelperServer(tree, app, children, key, grace, Log).RunAsync(listener, stop.Token);
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
}

listener.Stop();
try
{
    await serving;
}
catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
{
}

// SIGTERM reached the helper: pass it on and leave with the app's exit code.
var code = await app.StopAsync(grace, CancellationToken.None);
Log($"stopped{(code is { } c ? $"; the app exited with code {c}" : "")}");
return code ?? 0;
