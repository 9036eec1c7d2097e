using DevSpaces.Contracts;
using DevSpaces.Core.Cluster;
using DevSpaces.Core.Debug;
using DevSpaces.Core.Errors;
using DevSpaces.Core.Up;
using DevSpaces.Core.Workspace;

namespace DevSpaces.Cli.Commands;

/// <summary>
/// <c>devspaces debug --print-launch-config [folder] [--port N]</c>: the VS Code launch configuration that attaches the
/// runtime's debugger to the service when it runs with <c>up --debug</c> (for other editors, or to keep in launch.json);
/// for .NET also <c>--processes</c> (the .NET processes in its container) and <c>--resume</c> (let an app started with
/// <c>--stop-on-entry</c> run).
/// </summary>
public sealed class DebugCommand(CliOutput output, WorkspaceSession workspace, Func<ClusterConnection, ServiceExec> execFor, Func<string, string?> environment, string currentDirectory)
{
    public async Task<int> RunAsync(CliArguments cli, CancellationToken cancellationToken)
    {
        var modes = new[] { "--print-launch-config", "--processes", "--resume" }.Where(cli.Has).ToList();
        if (modes.Count != 1)
        {
            throw new UsageException("debug needs one of --print-launch-config, --processes or --resume, e.g. devspaces debug --print-launch-config services/api (VS Code debugs with the devspaces debug type)");
        }

        if (cli.Positional.Count > 2)
        {
            throw new UsageException($"debug takes one folder, e.g. devspaces debug {modes[0]} services/api");
        }

        var folder = Path.GetFullPath(cli.Positional.Count == 2 ? cli.Positional[1] : ".", currentDirectory);
        var port = cli.GetInt("--port");
        var pid = cli.GetInt("--pid");
        _ = cli.Get("--space");
        cli.RejectUnknownOptions();
        var project = UpService.ReadProject(folder);
        switch (modes[0])
        {
            case "--processes":
            {
                var processes = await Finder().ListAsync(Space(), project.Service, cancellationToken).ConfigureAwait(false);
                return output.Print(processes, (o, list) =>
                {
                    o.WriteLine($"{"PID",-8} {"RUNTIME",-10} {"ASSEMBLY",-24} COMMAND LINE");
                    foreach (var p in list)
                    {
                        o.WriteLine($"{p.Pid,-8} {p.RuntimeVersion,-10} {p.EntryAssembly,-24} {p.CommandLine}");
                    }
                });
            }

            case "--resume":
            {
                var resumed = await Finder().ResumeAsync(Space(), project.Service, pid, cancellationToken).ConfigureAwait(false);
                return output.Print(resumed, (o, p) => o.WriteLine($"Resumed {p.EntryAssembly} (pid {p.Pid}) in {project.Service}."));
            }
        }

        var runtime = DebugInjection.RuntimeOf(project.Run.Command ?? [], folder);
        var localRoot = folder == currentDirectory ? "${workspaceFolder}" : folder;
        var knownSpace = cli.Get("--space") ?? workspace.State.Space;
        string? note = null;
        if (runtime == DebugRuntime.DotNet && pid == null)
        {
            try
            {
                pid = DotNetProcessFinder.Pick(await Finder().ListAsync(Space(), project.Service, cancellationToken).ConfigureAwait(false), null, project.Service, Space()).Pid;
            }
            catch (DevSpacesException e)
            {
                note = $"processId is left to pick: {e.Message} Run this again once `devspaces up --debug` runs, or give --pid.";
            }
        }

        var debuggerPath = DotNetDebugger.RemotePath(environment(DotNetDebugger.FolderVariable));
        output.Out.WriteLine(LaunchConfigurations.LaunchJson(project, runtime, runtime == DebugRuntime.DotNet ? pid : port, localRoot, debuggerPath, runtime == DebugRuntime.DotNet ? knownSpace : null).ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        if (runtime == DebugRuntime.DotNet)
        {
            if (environment(DotNetDebugger.FolderVariable) is not { Length: > 0 })
            {
                output.Error.WriteLine($"devspaces: note: {DotNetDebugger.Needs}");
            }

            if (note != null)
            {
                output.Error.WriteLine($"devspaces: note: {note}");
            }
            else
            {
                output.Error.WriteLine($"devspaces: processId {pid} is the app's pid in the container now; it changes when the app restarts (run this again).");
            }
        }
        else
        {
            output.Error.WriteLine($"devspaces: attach after `devspaces up --debug{(port is { } p ? $" --debug-port {p}" : "")}` in {folder}");
        }

        return 0;

        DotNetProcessFinder Finder() => new(execFor(workspace.Connect()));
        string Space() => UpCommand.SpaceOf(cli, workspace);
    }
}
