using DevSpaces.Contracts;
using DevSpaces.Core.Cluster;
using DevSpaces.Core.Debug;
using DevSpaces.Core.Errors;
using DevSpaces.Core.Images;
using DevSpaces.Core.Up;
using DevSpaces.Core.Workspace;

namespace DevSpaces.Cli.Commands;

/// <summary>
/// <c>devspaces up [folder]</c>: builds and deploys the service, prints its URL, then syncs every saved change and
/// prints the container's output, prefixed with the service's name, until Ctrl-C (the service keeps running);
/// <c>devspaces down [folder]</c> removes it.
/// </summary>
/// <param name="upFor">The up pipeline for a cluster (built by the composition root).</param>
public sealed class UpCommand(CliOutput output, WorkspaceSession workspace, Func<ClusterConnection, UpService> upFor, string currentDirectory)
{
    public async Task<int> UpAsync(CliArguments cli, CancellationToken cancellationToken)
    {
        var folder = FolderOf(cli, "up");
        var space = SpaceOf(cli);
        var localPort = cli.GetInt("--local-port");
        var buildArgs = ImageHandler.ParseBuildArgs(cli.GetAll("--build-arg"));
        var detach = cli.Has("--detach");
        var debug = cli.Has("--debug") ? new UpDebug(cli.Has("--stop-on-entry"), cli.GetInt("--debug-port")) : null;
        if (debug == null && (cli.Has("--stop-on-entry") || cli.Has("--debug-port")))
        {
            throw new UsageException("--stop-on-entry and --debug-port go with --debug, e.g. devspaces up --debug --stop-on-entry");
        }

        cli.RejectUnknownOptions();

        var service = UpService.ReadProject(folder).Service;
        await using var session = await upFor(workspace.Connect()).StartAsync(
            new UpRequest(folder, space, localPort, !detach, buildArgs, debug), e => PrintEvent(output, service, e), cancellationToken).ConfigureAwait(false);
        var info = new UpInfo(session.Id, service, space, folder, session.Url, session.Image, session.Pod, !detach, session.Debug);
        if (output.Json)
        {
            output.Out.WriteLine(CliOutput.JsonLine(info));
        }
        else
        {
            output.Out.WriteLine(session.Url != null ? $"{service} is up in '{space}': {session.Url}" : $"{service} is up in '{space}' (pod {session.Pod})");
            if (session.Debug is { LocalPort: { } debugPort } attach)
            {
                output.Out.WriteLine($"Attach a {(attach.Runtime == DebugRuntime.Node ? "Node.js" : "Java")} debugger to 127.0.0.1:{debugPort} (devspaces debug --print-launch-config --port {debugPort} prints the VS Code configuration)");
            }
        }

        await output.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (detach)
        {
            return 0;
        }

        output.Error.WriteLine($"devspaces: syncing {folder} to {session.Pod}; Ctrl-C stops watching (the service keeps running; devspaces down removes it)");
        try
        {
            await session.Ended.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        return 0;
    }

    public async Task<int> DownAsync(CliArguments cli, CancellationToken cancellationToken)
    {
        var folder = FolderOf(cli, "down");
        var space = SpaceOf(cli);
        cli.RejectUnknownOptions();
        var project = UpService.ReadProject(folder);
        var actions = await upFor(workspace.Connect()).DownAsync(folder, space, cancellationToken).ConfigureAwait(false);
        return output.Print(new DownInfo(project.Service, space, actions), (o, r) =>
        {
            foreach (var action in r.Actions)
            {
                o.WriteLine(action);
            }

            o.WriteLine($"{r.Service} is down in '{r.Space}'.");
        });
    }

    /// <summary>One event of <paramref name="service"/> on stderr: a line for people, or one JSON object per line.</summary>
    internal static void PrintEvent(CliOutput output, string service, UpEvent e)
    {
        if (output.Json)
        {
            output.Error.WriteLine(CliOutput.JsonLine(new UpEventInfo(null, service, e.Kind, e.Message, e.Duration is { } d ? (long)d.TotalMilliseconds : null, e.Time.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture))));
            return;
        }

        var duration = e.Duration is { } took ? $" ({Took(took)})" : "";
        output.Error.WriteLine(e.Kind switch
        {
            UpEventKind.Log => $"{service} | {e.Message}",
            UpEventKind.Build => $"{service} build | {e.Message}",
            UpEventKind.BuildFailed or UpEventKind.Warning => $"{service}: warning: {e.Message}{duration}",
            _ => $"{service}: {e.Message}{duration}",
        });
    }

    private static string Took(TimeSpan time) => time.TotalSeconds < 1 ? $"{time.TotalMilliseconds:0} ms" : $"{time.TotalSeconds:0.0} s";

    private string FolderOf(CliArguments cli, string verb)
    {
        if (cli.Positional.Count > 2)
        {
            throw new UsageException($"{verb} takes one folder, e.g. devspaces {verb} services/api");
        }

        return Path.GetFullPath(cli.Positional.Count == 2 ? cli.Positional[1] : ".", currentDirectory);
    }

    private string SpaceOf(CliArguments cli) => SpaceOf(cli, workspace);

    /// <summary>The space of <c>--space</c>, else the one selected for the workspace folder.</summary>
    internal static string SpaceOf(CliArguments cli, WorkspaceSession workspace) => cli.Get("--space") ?? cli.Get("--namespace") ?? workspace.State.Space ?? throw new DevSpacesException(
        RpcErrorCode.NoSpaceSelected,
        "No space is selected for this folder, and --space was not given.",
        "Pass --space <name>, or select one with 'devspaces space select <name>'.");
}
