using System.Diagnostics;
using System.Reflection;

namespace DevSpaces.Core.Lifetime;

/// <summary>
/// A command the CLI runs for the length of a session, started through a <see cref="CommandSupervisor"/> (a second
/// <c>devspaces</c> process) on Linux and macOS so that it cannot outlive the CLI. On Windows it is started directly
/// and ended with its process tree on a normal stop only.
/// </summary>
public sealed class SupervisedCommand : IDisposable
{
    private readonly Process process;
    private readonly TimeSpan grace;

    private SupervisedCommand(Process process, TimeSpan grace)
    {
        this.process = process;
        this.grace = grace;
    }

    /// <summary>The exit code of the command (when it could not start: 127).</summary>
    public int ExitCode => process.ExitCode;

    public bool HasExited => process.HasExited;

    /// <summary>
    /// Starts <paramref name="command"/> with <paramref name="environment"/> added to this process's. On a stop the
    /// command and its descendants get SIGTERM and, after <paramref name="grace"/>, SIGKILL.
    /// </summary>
    /// <param name="self">How to run <c>devspaces</c> itself: the executable and the arguments before the verb; by default this process's own.</param>
    public static SupervisedCommand Start(IReadOnlyList<string> command, IReadOnlyDictionary<string, string> environment, TimeSpan grace, (string Path, IReadOnlyList<string> Arguments)? self = null)
    {
        ProcessStartInfo start;
        if (OperatingSystem.IsWindows())
        {
            start = new ProcessStartInfo(command[0]);
            command = command.Skip(1).ToList();
        }
        else
        {
            var (path, prefix) = self ?? This();
            start = new ProcessStartInfo(path);
            command = [.. prefix, .. CommandSupervisor.Arguments(Environment.ProcessId, grace, command)];
        }

        start.UseShellExecute = false;
        foreach (var argument in command)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return new SupervisedCommand(Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}"), grace);
    }

    /// <summary>This executable: the apphost, or <c>dotnet</c> and the entry assembly when run as <c>dotnet devspaces.dll</c>.</summary>
    private static (string, IReadOnlyList<string>) This()
    {
        var path = Environment.ProcessPath ?? throw new InvalidOperationException("the path of this executable is unknown");
        // Not Assembly.Location: it is empty in the single-file daemon of the extension package (which is never run by dotnet).
        return Path.GetFileNameWithoutExtension(path) == "dotnet" && Assembly.GetEntryAssembly()?.GetName().Name is { Length: > 0 } name
            ? (path, [Path.Combine(AppContext.BaseDirectory, name + ".dll")])
            : (path, []);
    }

    public Task WaitForExitAsync(CancellationToken cancellationToken) => process.WaitForExitAsync(cancellationToken);

    /// <summary>Ends the command and its descendants (SIGTERM, then SIGKILL after the grace period) and waits for that.</summary>
    public async Task StopAsync()
    {
        if (process.HasExited)
        {
            return;
        }

        if (!OperatingSystem.IsWindows())
        {
            PosixCalls.Signal(process.Id, PosixCalls.SigTerm);
        }

        // The supervisor escalates to SIGKILL itself after the grace period; a supervisor that does not end is killed with its tree.
        using var wait = new CancellationTokenSource(OperatingSystem.IsWindows() ? grace : grace + TimeSpan.FromSeconds(5));
        try
        {
            await process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    public void Dispose() => process.Dispose();
}
