using DevSpaces.Core.Cluster;
using DevSpaces.Core.Debug;
using DevSpaces.Core.Up;
using DevSpaces.Core.Workspace;
using DevSpaces.Helper.Protocol;

namespace DevSpaces.Cli.Commands;

/// <summary>
/// <c>devspaces exec &lt;service&gt; [--space S] [--workdir DIR] [--env K=V]... [--resume-after-attach] -- PROGRAM [ARG...]</c>:
/// runs the program in the code's container of a service that is up, with this process's stdin, stdout and stderr
/// carried byte for byte (no terminal), and exits with its exit code. It is what a <c>coreclr</c> configuration's
/// <c>pipeTransport</c> runs to start the debugger in the container; with <c>--resume-after-attach</c> it also lets a
/// .NET app that waits at start-up run once the debugger answered <c>configurationDone</c> (<see cref="ResumeAfterAttach"/>).
/// </summary>
/// <param name="execFor">The exec pipeline for a cluster (built by the composition root).</param>
/// <param name="stdio">This process's standard input, output and error as streams.</param>
public sealed class ExecCommand(WorkspaceSession workspace, Func<ClusterConnection, ServiceExec> execFor, Func<(Stream In, Stream Out, Stream Error)> stdio)
{
    public async Task<int> RunAsync(CliArguments cli, CancellationToken cancellationToken)
    {
        if (cli.Positional.Count < 3)
        {
            throw new UsageException("exec needs a service and a program, e.g. devspaces exec api -- ls /app");
        }

        var service = cli.Positional[1];
        var space = UpCommand.SpaceOf(cli, workspace);
        var request = new ExecRequest(cli.Positional[2..], cli.Get("--workdir") ?? "", cli.GetAll("--env"));
        if (request.Environment.FirstOrDefault(v => !v.Contains('=', StringComparison.Ordinal) || v.StartsWith('=')) is { } bad)
        {
            throw new UsageException($"--env takes NAME=value, not '{bad}'");
        }

        var resumeAfterAttach = cli.Has("--resume-after-attach");
        cli.RejectUnknownOptions();
        var (input, output, error) = stdio();
        var exec = execFor(workspace.Connect());
        if (!resumeAfterAttach)
        {
            return await exec.RunAsync(space, service, request, input, output, error, cancellationToken).ConfigureAwait(false);
        }

        var finder = new DotNetProcessFinder(exec);
        var notes = new StreamWriter(error, leaveOpen: true) { AutoFlush = true };
        var watcher = new ResumeAfterAttach((pid, ct) => finder.ResumeAsync(space, service, pid, ct), note => notes.WriteLine($"devspaces: {note}"));
        var code = await exec.RunAsync(space, service, request, watcher.WatchRequests(input), watcher.WatchResponses(output), error, cancellationToken).ConfigureAwait(false);
        await watcher.Completion.ConfigureAwait(false);
        return code;
    }
}
