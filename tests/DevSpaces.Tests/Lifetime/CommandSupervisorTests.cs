using System.Diagnostics;
using System.Globalization;
using DevSpaces.Core.Lifetime;
using DevSpaces.Tests.Support;

namespace DevSpaces.Tests.Lifetime;

/// <summary>
/// The command of <c>devspaces connect … -- cmd</c> runs under a supervisor (the real executable) and ends with the
/// CLI: a real process tree with a grandchild holding a port, one that ignores SIGTERM and one that detached.
/// </summary>
[TestFixture]
[Platform("Linux")]
public sealed class CommandSupervisorTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(1);

    [OneTimeSetUp]
    public void NeedsPython() =>
        Assume.That(Environment.GetEnvironmentVariable("PATH")!.Split(':').Any(d => File.Exists(Path.Combine(d, "python3"))), "python3 holds the port in these tests");

    /// <summary>A shell whose children are a port holder, a process ignoring SIGTERM in a new session, and a sleep.</summary>
    private static string TreeHoldingPort(int port) =>
        $"python3 -m http.server {port} --bind 127.0.0.1 >/dev/null 2>&1 & setsid sh -c 'trap \"\" TERM; sleep 300' & sleep 300";

    private static async Task WaitForTreeAsync(ProcessMark mark, int port, int processes) =>
        await Poll.UntilAsync(() => LoopbackPorts.Listens(port) && mark.Living().Count >= processes, TimeSpan.FromSeconds(30),
            () => $"the tree runs and listens on {port}: {string.Join("; ", mark.Living())}");

    private static async Task WaitForNothingLeftAsync(ProcessMark mark, int port, TimeSpan within) =>
        await Poll.UntilAsync(() => mark.Living().Count == 0 && LoopbackPorts.IsFree(port), within,
            () => $"no process of the tree is left and port {port} is free; left: {string.Join("; ", mark.Living())}");

    [Test]
    public async Task Killing_The_Parent_With_Sigkill_Ends_The_Command_And_All_Its_Descendants_And_Frees_The_Port()
    {
        var mark = new ProcessMark();
        var port = LoopbackPorts.Free();
        // A shell stands in for the CLI: it starts the supervisor as the CLI does, and is then killed with SIGKILL.
        var start = new ProcessStartInfo("sh") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"\"$0\" {CommandSupervisor.Verb} --parent $$ --grace-ms {Grace.TotalMilliseconds} -- sh -c \"$1\" & wait");
        start.ArgumentList.Add(DaemonProcess.ExecutablePath());
        start.ArgumentList.Add(TreeHoldingPort(port));
        start.Environment[mark.Name] = mark.Value;
        using var parent = Process.Start(start)!;
        try
        {
            // parent, supervisor, command shell, python, the TERM-ignoring shell and its sleep, the plain sleep
            await WaitForTreeAsync(mark, port, 7);
            parent.Kill();
            await WaitForNothingLeftAsync(mark, port, Grace + TimeSpan.FromSeconds(5));
        }
        finally
        {
            KillLeftovers(mark);
        }
    }

    [Test]
    public async Task Stopping_Ends_The_Command_And_All_Its_Descendants_Within_The_Grace_Period()
    {
        var mark = new ProcessMark();
        var port = LoopbackPorts.Free();
        using var command = SupervisedCommand.Start(["sh", "-c", TreeHoldingPort(port)], new Dictionary<string, string> { [mark.Name] = mark.Value }, Grace, (DaemonProcess.ExecutablePath(), []));
        try
        {
            await WaitForTreeAsync(mark, port, 6);
            var stopping = Stopwatch.StartNew();
            await command.StopAsync();
            Assert.Multiple(() =>
            {
                Assert.That(stopping.Elapsed, Is.LessThan(Grace + TimeSpan.FromSeconds(3)), "SIGKILL follows the grace period");
                Assert.That(mark.Living(), Is.Empty);
                Assert.That(LoopbackPorts.IsFree(port), Is.True);
                Assert.That(command.ExitCode, Is.EqualTo(128 + 15), "the command shell ended on SIGTERM");
            });
        }
        finally
        {
            KillLeftovers(mark);
        }
    }

    [Test]
    public async Task The_Exit_Code_Is_The_Commands_And_What_It_Left_Running_Ends_With_It()
    {
        var mark = new ProcessMark();
        using var command = SupervisedCommand.Start(["sh", "-c", "sleep 300 & exit 3"], new Dictionary<string, string> { [mark.Name] = mark.Value }, Grace, (DaemonProcess.ExecutablePath(), []));
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await command.WaitForExitAsync(timeout.Token);
            Assert.That(command.ExitCode, Is.EqualTo(3));
            Assert.That(mark.Living(), Is.Empty, "the background sleep ended with the command");
        }
        finally
        {
            KillLeftovers(mark);
        }
    }

    [Test]
    public async Task A_Command_That_Cannot_Start_Exits_With_127_And_Says_Why()
    {
        var start = new ProcessStartInfo(DaemonProcess.ExecutablePath()) { UseShellExecute = false, RedirectStandardError = true };
        foreach (var argument in CommandSupervisor.Arguments(Environment.ProcessId, Grace, ["/nonexistent/devspaces-test-command"]))
        {
            start.ArgumentList.Add(argument);
        }

        using var supervisor = Process.Start(start)!;
        var stderr = await supervisor.StandardError.ReadToEndAsync();
        await supervisor.WaitForExitAsync();
        Assert.That(supervisor.ExitCode, Is.EqualTo(127));
        Assert.That(stderr, Does.Contain("could not start '/nonexistent/devspaces-test-command'"));
    }

    private static void KillLeftovers(ProcessMark mark)
    {
        foreach (var line in mark.Living())
        {
            try
            {
                using var process = Process.GetProcessById(int.Parse(line.Split(' ')[0], CultureInfo.InvariantCulture));
                process.Kill();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
            }
        }
    }
}
