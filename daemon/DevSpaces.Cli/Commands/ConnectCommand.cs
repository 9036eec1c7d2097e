using System.Diagnostics;
using System.Text;
using DevSpaces.Contracts;
using DevSpaces.Core.Cluster;
using DevSpaces.Core.Connect;
using DevSpaces.Core.Errors;
using DevSpaces.Core.Lifetime;
using DevSpaces.Core.Workspace;

namespace DevSpaces.Cli.Commands;

/// <summary>
/// <c>devspaces connect &lt;service&gt; --local-port N [-- command args]</c>: takes the service over, runs the command
/// with the cluster environment (or waits), and restores the service on exit or Ctrl-C.
/// </summary>
/// <param name="connectFor">The connect pipeline for a cluster (built by the composition root).</param>
public sealed class ConnectCommand(CliOutput output, WorkspaceSession workspace, Func<ClusterConnection, ConnectService> connectFor)
{
    /// <summary>How long the command has to end after SIGTERM before it and its descendants get SIGKILL.</summary>
    private static readonly TimeSpan CommandGrace = TimeSpan.FromSeconds(5);

    private readonly TextWriter stdout = output.Out;
    private readonly TextWriter stderr = output.Error;

    public async Task<int> RunAsync(CliArguments cli, CancellationToken cancellationToken)
    {
        var service = cli.Positional[1];
        var command = cli.Positional.Skip(2).ToList();
        var localPort = cli.GetInt("--local-port") ?? throw new UsageException("connect needs --local-port N: the port the local process listens on");
        if (localPort is < 1 or > 65535)
        {
            throw new UsageException($"--local-port must be 1-65535, not {localPort}");
        }

        var space = cli.Get("--space") ?? cli.Get("--namespace") ?? workspace.State.Space ?? throw new DevSpacesException(
            RpcErrorCode.NoSpaceSelected,
            "No space is selected for this folder, and neither --space nor --namespace was given.",
            "Pass --space <name>, or select one with 'devspaces space select <name>'.");
        var envFile = cli.Get("--env-file");
        var container = cli.Get("--container");
        var copyMounts = !cli.Has("--no-mounts");
        var writeHosts = cli.Has("--hosts");
        var keepOriginal = cli.Has("--keep-original");
        var forwardProbes = cli.Has("--forward-probes");
        var isolated = cli.Has("--isolated");
        if (isolated && keepOriginal)
        {
            throw new UsageException("--isolated already keeps the original pods running and unchanged: drop --keep-original");
        }

        cli.RejectUnknownOptions();

        var connect = connectFor(workspace.Connect());
        var started = Stopwatch.StartNew();
        await using var session = await connect.ConnectAsync(
            new ConnectRequest(space, service, localPort) { Container = container, CopyMounts = copyMounts, WriteHosts = writeHosts, KeepOriginal = keepOriginal, ForwardProbes = forwardProbes, Isolated = isolated },
            e => stderr.WriteLine($"devspaces: {e.Message}"),
            cancellationToken).ConfigureAwait(false);
        stderr.WriteLine($"devspaces: connected in {started.Elapsed.TotalSeconds:0.0} s; cluster services on this machine: {string.Join(", ", session.Endpoints.Select(e => $"{e.Service}:{e.ServicePort}→127.0.0.1:{e.LocalPort}"))}");
        foreach (var mount in session.Mounts)
        {
            stderr.WriteLine(mount.LocalPath != null
                ? $"devspaces: mount {mount.ContainerPath} ({mount.Kind} {mount.Volume}) → {mount.LocalPath}"
                : $"devspaces: mount {mount.ContainerPath} ({mount.Kind} {mount.Volume}) not copied: {mount.Note}");
        }

        if (session.HostsFile != null)
        {
            stderr.WriteLine($"devspaces: {session.HostsFile} names the services: {string.Join(", ", session.Endpoints.Where(e => e.HostAddress != null).Select(e => $"{e.Service}→{e.HostAddress}:{e.ServicePort}"))}");
        }

        if (envFile != null)
        {
            if (envFile == "-")
            {
                await stdout.WriteAsync(EnvFileText(session.Environment, session.Mounts)).ConfigureAwait(false);
                await stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await File.WriteAllTextAsync(envFile, EnvFileText(session.Environment, session.Mounts), cancellationToken).ConfigureAwait(false);
            }

            stderr.WriteLine($"devspaces: wrote {session.Environment.Count} variables to {envFile}");
        }

        if (command.Count == 0)
        {
            stderr.WriteLine($"devspaces: serving service {service} from localhost:{localPort}; press Ctrl-C to disconnect and restore it.");
            try
            {
                await session.Ended.WaitAsync(cancellationToken).ConfigureAwait(false);
                return 1;
            }
            catch (OperationCanceledException)
            {
                return 0;
            }
        }

        return await RunCommandAsync(command, session, cancellationToken).ConfigureAwait(false);
    }

    private async Task<int> RunCommandAsync(IReadOnlyList<string> command, ConnectSession session, CancellationToken cancellationToken)
    {
        // Through a supervisor: the command and whatever it starts end with this process, also when it is killed.
        using var process = SupervisedCommand.Start(command, session.Environment, CommandGrace);
        try
        {
            await Task.WhenAny(process.WaitForExitAsync(cancellationToken), session.Ended).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C or SIGTERM: the command and its descendants are signalled below.
        }

        await process.StopAsync().ConfigureAwait(false);
        stderr.WriteLine($"devspaces: {command[0]} exited with code {process.ExitCode}; restoring the service.");
        return process.ExitCode;
    }

    /// <summary>
    /// <c>NAME=value</c> lines; values with newlines or quotes are double-quoted with escapes (dotenv style). The copied
    /// mounts come first as comments (<c># mount /etc/app → /local/copy</c>); their root is <c>DEVSPACES_MOUNT_ROOT</c>.
    /// </summary>
    public static string EnvFileText(IReadOnlyDictionary<string, string> variables, IReadOnlyList<LocalMount>? mounts = null)
    {
        var text = new StringBuilder();
        foreach (var mount in mounts ?? [])
        {
            text.Append(mount.LocalPath != null ? $"# mount {mount.ContainerPath} → {mount.LocalPath}\n" : $"# mount {mount.ContainerPath} not copied ({mount.Kind} volume {mount.Volume})\n");
        }

        foreach (var (name, value) in variables.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            var needsQuotes = value.IndexOfAny(['\n', '\r', '"', '\'', ' ', '#', '\\', '$']) >= 0;
            text.Append(name).Append('=');
            text.Append(needsQuotes ? "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n").Replace("\r", "\\r").Replace("$", "\\$") + "\"" : value);
            text.Append('\n');
        }

        return text.ToString();
    }
}
