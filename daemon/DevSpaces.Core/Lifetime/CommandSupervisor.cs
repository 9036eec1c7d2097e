using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace DevSpaces.Core.Lifetime;

/// <summary>
/// The process between the CLI and the command it runs (<c>devspaces connect … -- cmd</c>), so that the command and
/// everything it starts end with the CLI, also when the CLI is killed with SIGKILL and cannot clean up itself.
/// It notices the CLI's end by its own parent changing, checked every 100 ms (a parent-death signal would also fire
/// when the CLI's thread that happened to start it ends, and .NET starts processes from any thread). On Linux it is a
/// child subreaper: descendants that detach (a double fork, <c>setsid</c>) are reparented to it rather than to init,
/// so they are found and ended too. The command stays in the CLI's process group, so a terminal's Ctrl-C and its
/// input reach it as they would without a supervisor.
/// </summary>
public sealed class CommandSupervisor(int parent, TimeSpan grace, IReadOnlyList<string> command, TextWriter stderr)
{
    /// <summary>The hidden verb of the <c>devspaces</c> executable that runs a supervisor.</summary>
    public const string Verb = "supervise";

    /// <summary>The command line of <c>devspaces</c> that supervises <paramref name="command"/> for the process <paramref name="parent"/>.</summary>
    public static IReadOnlyList<string> Arguments(int parent, TimeSpan grace, IReadOnlyList<string> command) =>
        [Verb, "--parent", parent.ToString(CultureInfo.InvariantCulture), "--grace-ms", ((int)grace.TotalMilliseconds).ToString(CultureInfo.InvariantCulture), "--", .. command];

    /// <summary>Reads the arguments after <see cref="Verb"/>; null when they are not what <see cref="Arguments"/> writes.</summary>
    public static CommandSupervisor? Parse(IReadOnlyList<string> args, TextWriter stderr) =>
        args is ["--parent", var p, "--grace-ms", var g, "--", _, ..]
        && int.TryParse(p, CultureInfo.InvariantCulture, out var pid) && int.TryParse(g, CultureInfo.InvariantCulture, out var ms)
            ? new CommandSupervisor(pid, TimeSpan.FromMilliseconds(ms), [.. args.Skip(5)], stderr)
            : null;

    /// <summary>
    /// Runs the command until it exits, <paramref name="stop"/> is cancelled (the CLI's SIGTERM) or the CLI is gone;
    /// then ends it and all its descendants (SIGTERM, after the grace period SIGKILL) and returns its exit code.
    /// </summary>
    public async Task<int> RunAsync(CancellationToken stop)
    {
        PosixCalls.BecomeSubreaper();
        if (PosixCalls.ParentId() != parent)
        {
            return 1; // the CLI ended before the command could start
        }

        var start = new ProcessStartInfo(command[0]) { UseShellExecute = false };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception();
        }
        catch (Win32Exception e)
        {
            await stderr.WriteLineAsync($"devspaces: could not start '{command[0]}': {e.Message}").ConfigureAwait(false);
            return 127;
        }

        using (process)
        using (var watching = CancellationTokenSource.CreateLinkedTokenSource(stop))
        {
            var parentGone = WaitForParentToEndAsync(watching.Token);
            await Task.WhenAny(process.WaitForExitAsync(watching.Token), parentGone).ConfigureAwait(false);
            await watching.CancelAsync().ConfigureAwait(false);
            await EndTreeAsync(process).ConfigureAwait(false);
            return process.ExitCode;
        }
    }

    private async Task WaitForParentToEndAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            while (PosixCalls.ParentId() == parent && await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>SIGTERM to the command and every descendant, SIGKILL to what is left after the grace period.</summary>
    private async Task EndTreeAsync(Process process)
    {
        var self = Environment.ProcessId;
        IReadOnlyList<int> Living() => OperatingSystem.IsLinux()
            ? [.. ProcessTree.Descendants(self).Where(p => !p.Zombie).Select(p => p.Pid)]
            : process.HasExited ? [] : [process.Id];

        foreach (var pid in Living())
        {
            PosixCalls.Signal(pid, PosixCalls.SigTerm);
        }

        var deadline = Stopwatch.StartNew();
        while (Living().Count > 0 && deadline.Elapsed < grace)
        {
            await Task.Delay(50).ConfigureAwait(false);
        }

        for (var round = 0; round < 100 && Living() is { Count: > 0 } left; round++)
        {
            if (!OperatingSystem.IsLinux())
            {
                process.Kill(entireProcessTree: true);
            }

            foreach (var pid in left)
            {
                PosixCalls.Signal(pid, PosixCalls.SigKill);
            }

            await Task.Delay(20).ConfigureAwait(false);
        }

        // Descendants that were reparented to this subreaper are its children now: reap them (the runtime reaps the command).
        foreach (var (pid, _, _) in ProcessTree.Descendants(self).Where(p => p.Zombie && p.Parent == self && p.Pid != process.Id))
        {
            PosixCalls.Reap(pid);
        }

        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
    }
}
