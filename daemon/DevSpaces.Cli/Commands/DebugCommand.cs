using DevSpaces.Contracts;
using DevSpaces.Core.Debug;
using DevSpaces.Core.Up;

namespace DevSpaces.Cli.Commands;

/// <summary>
/// <c>devspaces debug --print-launch-config [folder] [--port N]</c>: the VS Code launch configuration that attaches the
/// runtime's debugger to the service when it runs with <c>up --debug</c> (for other editors, or to keep in launch.json).
/// </summary>
public sealed class DebugCommand(CliOutput output, string currentDirectory)
{
    public Task<int> RunAsync(CliArguments cli)
    {
        if (!cli.Has("--print-launch-config"))
        {
            throw new UsageException("debug needs --print-launch-config, e.g. devspaces debug --print-launch-config services/api (VS Code debugs with the devspaces debug type)");
        }

        if (cli.Positional.Count > 2)
        {
            throw new UsageException("debug takes one folder, e.g. devspaces debug --print-launch-config services/api");
        }

        var folder = Path.GetFullPath(cli.Positional.Count == 2 ? cli.Positional[1] : ".", currentDirectory);
        var port = cli.GetInt("--port");
        cli.RejectUnknownOptions();
        var project = UpService.ReadProject(folder);
        var runtime = DebugInjection.RuntimeOf(project.Run.Command ?? [], folder);
        var localRoot = folder == currentDirectory ? "${workspaceFolder}" : folder;
        output.Out.WriteLine(LaunchConfigurations.LaunchJson(project, runtime, port, localRoot).ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        if (runtime == DebugRuntime.DotNet)
        {
            output.Error.WriteLine($"devspaces: note: {DotNetDebugger.Missing}");
        }
        else
        {
            output.Error.WriteLine($"devspaces: attach after `devspaces up --debug{(port is { } p ? $" --debug-port {p}" : "")}` in {folder}");
        }

        return Task.FromResult(0);
    }
}
