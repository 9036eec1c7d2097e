using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using DevSpaces.ClusterTests.Support;
using DevSpaces.ClusterTests.Up;
using DevSpaces.Contracts;
using DevSpaces.Core.Debug;
using DevSpaces.Core.PortForwarding;
using DevSpaces.Core.Project;
using DevSpaces.Core.Up;
using DevSpaces.Core.Images;

namespace DevSpaces.ClusterTests.Debug;

/// <summary>
/// The .NET sample API run with <c>up --debug --stop-on-entry</c> in its own space, with a stand-in debugger folder
/// (a debug adapter written in bash named netcoredbg, and 20 MB of data) set as the user's .NET debugger: its runtime
/// waits at start-up and answers nothing, is found through its diagnostic socket, answers once resumed; the debugger
/// folder arrives in the pod; the printed coreclr configuration's pipeTransport, run as VS Code runs it (the real CLI
/// process), carries a debug adapter's exchange; exec carries 16 MB of random bytes and exit codes.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class DotNetDebugClusterTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    // A debug adapter in bash (the sample's runtime image has no SDK): DAP framing, an answer to initialize, launch
    // (its body is the request itself, byte for byte) and threads, an initialized event after launch; exit 5 at the end of input.
    private const string DapResponder = """
        #!/bin/bash
        [ "$1" = --interpreter=vscode ] || { echo "netcoredbg stand-in: unexpected arguments: $*" >&2; exit 2; }
        export LC_ALL=C
        n=0
        while IFS= read -r header; do
          length=${header#Content-Length: }; length=${length%$'\r'}
          IFS= read -r _
          body=$(head -c "$length")
          [[ $body =~ \"seq\":([0-9]+) ]] && seq=${BASH_REMATCH[1]}
          [[ $body =~ \"command\":\"([a-zA-Z]+)\" ]] && command=${BASH_REMATCH[1]}
          case $command in
            initialize) answer='{"supportsConfigurationDoneRequest":true}' ;;
            launch) answer=$body ;;
            threads) answer='{"threads":[{"id":1,"name":"main – ünïcødé"}]}' ;;
            *) answer='{}' ;;
          esac
          n=$((n+1))
          reply="{\"seq\":$n,\"type\":\"response\",\"request_seq\":$seq,\"success\":true,\"command\":\"$command\",\"body\":$answer}"
          printf 'Content-Length: %d\r\n\r\n%s' "${#reply}" "$reply"
          if [ "$command" = launch ]; then
            n=$((n+1)); event="{\"seq\":$n,\"type\":\"event\",\"event\":\"initialized\"}"
            printf 'Content-Length: %d\r\n\r\n%s' "${#event}" "$event"
          fi
        done
        exit 5
        """;

    private readonly ConcurrentQueue<UpEvent> events = new();
    private UpSpace space = null!;
    private UpSession session = null!;
    private DotNetProcessFinder finder = null!;
    private string debugger = null!;
    private byte[] debuggerData = null!;

    [OneTimeSetUp]
    public async Task UpTheSampleApiStoppedOnEntry()
    {
        using var cts = new CancellationTokenSource(Timeout);
        space = await UpSpace.CreateAsync("debug-dotnet", cts.Token);
        UpSampleTests.CopyFolder(Path.Combine(TestCluster.RepositoryRoot, "samples", "api"), space.Folder);
        ProjectPreparer.Prepare(space.Folder, "api");
        debugger = Directory.CreateTempSubdirectory("devspaces-netcoredbg-").FullName;
        File.WriteAllText(Path.Combine(debugger, "netcoredbg"), DapResponder.Replace("\r\n", "\n", StringComparison.Ordinal));
        File.SetUnixFileMode(Path.Combine(debugger, "netcoredbg"), (UnixFileMode)0b111_101_101);
        debuggerData = RandomNumberGenerator.GetBytes(20 * 1024 * 1024);
        Directory.CreateDirectory(Path.Combine(debugger, "lib"));
        File.WriteAllBytes(Path.Combine(debugger, "lib", "libdbgshim.so"), debuggerData);
        var args = ImageHandler.ParseBuildArgs(["SDK_IMAGE=devspaces.local/dotnet-sdk:10.0", "RUNTIME_IMAGE=devspaces.local/dotnet-aspnet:10.0"]);
        session = await space.CreateService(dotNetDebugger: debugger).StartAsync(new UpRequest(space.Folder, space.Namespace, null, false, args, new UpDebug(true, null)), events.Enqueue, cts.Token);
        finder = new DotNetProcessFinder(new ServiceExec(space.Connection, new WebSocketPodPortConnector(space.Connection.Client)));
    }

    [OneTimeTearDown]
    public async Task RemoveTheSpace()
    {
        if (session != null)
        {
            await session.DisposeAsync();
        }

        if (space != null)
        {
            await space.DisposeAsync();
        }

        if (debugger != null)
        {
            Directory.Delete(debugger, true);
        }
    }

    [Test, Order(1)]
    public async Task A_Suspended_App_Answers_Nothing_Is_Found_Through_Its_Diagnostic_Socket_And_Answers_Once_Resumed()
    {
        using var cts = new CancellationTokenSource(Timeout);
        Assert.That(session.Debug!.Runtime, Is.EqualTo(DebugRuntime.DotNet));
        Assert.That(session.Debug.StopOnEntry, Is.True);

        var waiting = await finder.ListAsync(space.Namespace, "api", cts.Token);
        Assert.That(waiting, Has.Count.EqualTo(1), "one .NET process in the container");
        var app = waiting[0];
        Assert.That(app.EntryAssembly, Is.EqualTo("DevSpacesSample.Api"));
        Assert.That(app.RuntimeVersion, Does.StartWith("10."));
        Assert.That(app.Pid, Is.GreaterThan(1), "the helper is PID 1; the app is its child");

        await AssertNoAnswerAsync("no answer before resume");

        var resumed = await finder.ResumeAsync(space.Namespace, "api", null, cts.Token);
        Assert.That(resumed.Pid, Is.EqualTo(app.Pid));
        Assert.That(await HealthAsync(), Does.Contain("\"ok\""), "the app answers once resumed");

        var running = (await finder.ListAsync(space.Namespace, "api", cts.Token)).Single();
        Assert.That(running.Pid, Is.EqualTo(app.Pid));
        Assert.That(running.CommandLine, Does.Contain("DevSpacesSample.Api.dll"), "the whole command line once the runtime runs");
    }

    [Test, Order(2)]
    public async Task The_Debugger_Folder_Is_In_The_Pod_And_The_Printed_Pipe_Transport_Carries_A_Debug_Adapter_Exchange_Intact_And_Resumes_The_App_Once_Configured()
    {
        using var cts = new CancellationTokenSource(Timeout);
        Assert.That(events.Any(e => e.Message.StartsWith("Copied the .NET debugger (2 files", StringComparison.Ordinal)), Is.True, "up says it placed the debugger");
        var (copied, data, _) = await ExecAsync(["cat", "/devspaces-debugger/lib/libdbgshim.so"], []);
        Assert.That(copied, Is.Zero);
        Assert.That(SHA256.HashData(data), Is.EqualTo(SHA256.HashData(debuggerData)), "20 MB of the debugger's folder arrived intact");

        // The configuration as `devspaces debug --print-launch-config` prints it, run as the C# extension runs a pipeTransport.
        // A restart starts the app suspended again, with a new pid.
        var before = (await finder.ListAsync(space.Namespace, "api", cts.Token)).Single().Pid;
        await using (var helper = await new ServiceExec(space.Connection, new WebSocketPodPortConnector(space.Connection.Client)).ConnectAsync(space.Namespace, "api", cts.Token))
        {
            await helper.RestartAsync(TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(300), cts.Token);
        }

        DotNetProcess? app = null;
        await ClusterWaits.ConditionAsync(async () => (app = (await finder.ListAsync(space.Namespace, "api", cts.Token)).SingleOrDefault(p => p.Pid != before)) != null, TimeSpan.FromSeconds(30), () => "the restarted app's diagnostic socket is listed");
        await AssertNoAnswerAsync("the restarted app waits at start-up again");

        var (printed, json, notes) = await CliAsync(["debug", "--print-launch-config", space.Folder, "--space", space.Namespace], []);
        Assert.That(printed, Is.Zero, Encoding.UTF8.GetString(notes));
        var config = JsonNode.Parse(json)!["configurations"]![0]!;
        Assert.That(config["type"]!.GetValue<string>(), Is.EqualTo("coreclr"));
        Assert.That(config["processId"]!.GetValue<int>(), Is.EqualTo(app!.Pid), "the app's pid, found through its diagnostic socket");
        var pipe = config["pipeTransport"]!;
        Assert.That(pipe["debuggerPath"]!.GetValue<string>(), Is.EqualTo("/devspaces-debugger/netcoredbg"));
        Assert.That(pipe["pipeProgram"]!.GetValue<string>(), Is.EqualTo("devspaces"));
        string[] command = [.. pipe["pipeArgs"]!.AsArray().Select(a => a!.GetValue<string>()), pipe["debuggerPath"]!.GetValue<string>(), "--interpreter=vscode"];

        Assert.That(command, Is.EqualTo(new[] { "exec", "api", "--space", space.Namespace, "--resume-after-attach", "--", "/devspaces-debugger/netcoredbg", "--interpreter=vscode" }));
        using var cli = StartCli(command);
        var stdin = cli.StandardInput.BaseStream;
        var stdout = cli.StandardOutput.BaseStream;
        var stderr = cli.StandardError.ReadToEndAsync();
        var big = string.Concat(Enumerable.Range(0, 20_000).Select(i => (char)('a' + (i % 26)))) + " ∑ ünïcødé 🚀";

        await SendAsync(stdin, """{"seq":1,"type":"request","command":"initialize","arguments":{"adapterID":"coreclr","linesStartAt1":true}}""");
        var initialize = await ReceiveAsync(stdout);
        Assert.That(initialize["request_seq"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(initialize["body"]!["supportsConfigurationDoneRequest"]!.GetValue<bool>(), Is.True);

        var launch = $$$"""{"seq":2,"type":"request","command":"launch","arguments":{"program":"/app/DevSpacesSample.Api.dll","note":"{{{big}}}"}}""";
        await SendAsync(stdin, launch);
        var launched = await ReceiveRawAsync(stdout);
        Assert.That(launched, Does.Contain("\"request_seq\":2"));
        Assert.That(launched, Does.EndWith($"\"body\":{launch}}}"), "the request arrived and came back byte for byte");
        Assert.That(JsonNode.Parse(await ReceiveRawAsync(stdout))!["event"]!.GetValue<string>(), Is.EqualTo("initialized"));

        // Attached, breakpoints set: the app may run now, and only now.
        await SendAsync(stdin, $$$"""{"seq":3,"type":"request","command":"attach","arguments":{"processId":{{{app.Pid}}}}}""");
        Assert.That((await ReceiveAsync(stdout))["command"]!.GetValue<string>(), Is.EqualTo("attach"));
        await AssertNoAnswerAsync("attached, but not configured yet");
        await SendAsync(stdin, """{"seq":4,"type":"request","command":"configurationDone"}""");
        Assert.That((await ReceiveAsync(stdout))["command"]!.GetValue<string>(), Is.EqualTo("configurationDone"));
        Assert.That(await HealthAsync(), Does.Contain("\"ok\""), "the app answers once the debugger is configured");

        await SendAsync(stdin, """{"seq":5,"type":"request","command":"threads"}""");
        var threads = await ReceiveAsync(stdout);
        Assert.That(threads["request_seq"]!.GetValue<int>(), Is.EqualTo(5));
        Assert.That(threads["body"]!["threads"]![0]!["name"]!.GetValue<string>(), Is.EqualTo("main – ünïcødé"));

        stdin.Close();
        await cli.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        Assert.That(cli.ExitCode, Is.EqualTo(5), $"the adapter's exit code after its input ended; stderr: {await stderr}");
        Assert.That(await stderr, Is.EqualTo($"devspaces: the debugger is attached: resumed .NET process {app.Pid}\n"));
    }

    [Test, Order(3)]
    public async Task Exec_Carries_Sixteen_Megabytes_Of_Random_Bytes_In_Order_And_Exit_Codes()
    {
        var payload = RandomNumberGenerator.GetBytes(16 * 1024 * 1024);
        var (code, output, error) = await ExecAsync(["cat"], payload);
        Assert.That(code, Is.Zero, Encoding.UTF8.GetString(error));
        Assert.That(output.Length, Is.EqualTo(payload.Length));
        Assert.That(SHA256.HashData(output), Is.EqualTo(SHA256.HashData(payload)), "every byte, in order");

        var (failed, _, failure) = await ExecAsync(["sh", "-c", "exit 7"], []);
        Assert.That(failed, Is.EqualTo(7), Encoding.UTF8.GetString(failure));
    }

    [Test, Order(4)]
    public async Task Exec_Of_A_Service_That_Is_Not_Up_Or_A_Missing_Program_Says_What_And_How_To_Fix_It()
    {
        var (code, _, error) = await ExecAsync(["true"], [], service: "nosuch");
        var message = Encoding.UTF8.GetString(error);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(message, Does.Contain("Service 'nosuch' is not up in space").And.Contain("Fix: Run `devspaces up`"));
        Assert.That(message, Does.Not.Contain("   at "), "no stack trace");

        (code, _, error) = await ExecAsync(["/devspaces-debugger/vsdbg", "--interpreter=vscode"], []);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(Encoding.UTF8.GetString(error), Does.Contain("/devspaces-debugger/vsdbg cannot run in api's container").And.Contain("No such file"));
    }

    /// <summary>The CLI as a process (as a pipeTransport starts it), with this cluster's kubeconfig and the stand-in debugger set.</summary>
    private Process StartCli(IReadOnlyList<string> args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = space.Folder };
        start.Environment["KUBECONFIG"] = space.Cluster.KubeconfigPath;
        start.Environment[DotNetDebugger.FolderVariable] = debugger;
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "devspaces.dll") }.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }

    private Task<(int Code, byte[] Output, byte[] Error)> ExecAsync(IReadOnlyList<string> command, byte[] input, string service = "api") =>
        CliAsync(["exec", service, "--space", space.Namespace, "--", .. command], input);

    private async Task<(int Code, byte[] Output, byte[] Error)> CliAsync(IReadOnlyList<string> args, byte[] input)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var cli = StartCli(args);
        using var output = new MemoryStream();
        using var error = new MemoryStream();
        var reading = cli.StandardOutput.BaseStream.CopyToAsync(output, cts.Token);
        var readingErrors = cli.StandardError.BaseStream.CopyToAsync(error, cts.Token);
        await cli.StandardInput.BaseStream.WriteAsync(input, cts.Token);
        cli.StandardInput.Close();
        await Task.WhenAll(reading, readingErrors);
        await cli.WaitForExitAsync(cts.Token);
        return (cli.ExitCode, output.ToArray(), error.ToArray());
    }

    private static async Task SendAsync(Stream stdin, string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        await stdin.WriteAsync(Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n"));
        await stdin.WriteAsync(body);
        await stdin.FlushAsync();
    }

    private static async Task<JsonNode> ReceiveAsync(Stream stdout) => JsonNode.Parse(await ReceiveRawAsync(stdout))!;

    /// <summary>One DAP message's body as it came (its header's Content-Length counts bytes).</summary>
    private static async Task<string> ReceiveRawAsync(Stream stdout)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var header = new StringBuilder();
        var one = new byte[1];
        while (!header.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            await stdout.ReadExactlyAsync(one, cts.Token);
            header.Append((char)one[0]);
        }

        var length = int.Parse(header.ToString().Trim()["Content-Length: ".Length..], System.Globalization.CultureInfo.InvariantCulture);
        var body = new byte[length];
        await stdout.ReadExactlyAsync(body, cts.Token);
        return Encoding.UTF8.GetString(body);
    }

    /// <summary>Holding still is what is tested: a bounded request that must not be answered while the runtime waits.</summary>
    private async Task AssertNoAnswerAsync(string because)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        Assert.That(async () => await http.GetAsync(new Uri(new Uri(session.Url!), "/healthz")), Throws.InstanceOf<Exception>(), because);
    }

    private async Task<string> HealthAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        string? body = null;
        await ClusterWaits.ConditionAsync(
            async () =>
            {
                try
                {
                    body = await http.GetStringAsync(new Uri(new Uri(session.Url!), "/healthz"));
                    return true;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(60),
            () => $"the resumed app answers /healthz; events: {string.Join(" | ", events.TakeLast(20).Select(e => $"{e.Kind}: {e.Message}"))}");
        return body!;
    }
}
