using DevSpaces.Contracts;
using DevSpaces.Core.Cluster;
using DevSpaces.Core.Errors;
using DevSpaces.Core.Logging;
using DevSpaces.Core.Workspace;

namespace DevSpaces.Cli.Commands;

/// <summary>
/// The <c>devspaces</c> verbs for terminals and scripts. Exit codes: 0 success, 1 the operation failed
/// (one line on stderr saying why and how to fix it), 2 the command line is wrong.
/// </summary>
public sealed class CliApp(TextWriter stdout, TextWriter stderr, string currentDirectory, string? kubeconfigVariable, string? homeDirectory)
{
    public const string Usage = """
        usage: devspaces <command> [options]

          context list                      kubeconfig contexts (* = used in this folder)
          context use <name>                use a context in this folder (kubeconfig unchanged)
          context status                    reachability and server version
          space list                        spaces as a tree (* = selected)
          space create <name> [--parent P]  root space (labels an existing namespace) or child of P
          space select <name> | --clear     select this folder's space
          space current                     this folder's context and space
          space delete <name> [--recursive] delete a space (and its subtree)
          service list [--space S]          services of a space (default: the selected one)
          connect <service> --local-port N [--space S] [--container C] [--env-file F] [--no-mounts] [--hosts]
                  [--keep-original] [--forward-probes] [-- command args]
                                            serve the service from localhost:N (runs the command with the
                                            cluster environment, or waits); Ctrl-C restores the service.
                                            Mounted ConfigMap/Secret files are copied to a private folder
                                            ($DEVSPACES_MOUNT_ROOT; --no-mounts: don't); --hosts names every
                                            service in /etc/hosts (DEVSPACES_HOSTS_FILE) on its own 127.77.x.y;
                                            --keep-original: original pods keep running, only the Service
                                            points at this machine; --forward-probes: the local process
                                            answers the container's probes
          port-forward <target> <local>:<remote>... [--space S] [--address A]
                                            forward local ports to a pod, deployment/NAME or service/NAME
                                            until Ctrl-C (--output json: one event per line)
          image build <context> --repository R [--dockerfile F] [--build-arg K=V]... [--registry REG]
                      [--force] [--no-deliver]
                                            build as R:ds-<content hash> and deliver it to the cluster
          daemon --stdio --client-pid <pid> --log-dir <dir>
          --version

        options: --kubeconfig <file>  --output text|json (-o)  --workspace <dir>
        """;

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var json = false;
        try
        {
            var cli = CliArguments.Parse(args);
            var format = cli.Get("--output") ?? "text";
            if (format is not ("text" or "json"))
            {
                throw new UsageException($"--output must be text or json, not '{format}'");
            }

            json = format == "json";
            if (cli.Has("--version") || cli.Positional is ["version"])
            {
                stdout.WriteLine(Program.ProductVersion);
                return 0;
            }

            if (cli.Has("--help") || cli.Has("-h") || cli.Positional.Count == 0 || cli.Positional is ["help"])
            {
                (cli.Positional.Count == 0 && !cli.Has("--help") ? stderr : stdout).WriteLine(Usage);
                return cli.Positional.Count == 0 && !cli.Has("--help") ? 2 : 0;
            }

            var kubeconfig = new KubeconfigSource(cli.Get("--kubeconfig"), kubeconfigVariable, homeDirectory);
            var folder = cli.Get("--workspace") is { } w ? Path.GetFullPath(w, currentDirectory) : WorkspaceLocator.Find(currentDirectory);
            var log = new TextWriterLog(LogLevel.Warning, stderr);
            var output = new CliOutput(stdout, stderr, json);
            await using var composition = Composition.ForCli(kubeconfig, log, folder, output, currentDirectory);
            return await DispatchAsync(cli, composition, output, cancellationToken).ConfigureAwait(false);
        }
        catch (UsageException ex)
        {
            stderr.WriteLine($"devspaces: {ex.Message} (see devspaces --help)");
            return 2;
        }
        catch (DevSpacesException ex)
        {
            if (json)
            {
                stderr.WriteLine(CliOutput.JsonLine(new { error = ex.ToErrorInfo() }));
            }
            else
            {
                stderr.WriteLine(OneLine(ex.ToErrorInfo()));
            }

            return 1;
        }
    }

    /// <summary>What failed, how to fix it, and the server's or plugin's own words, on one line.</summary>
    public static string OneLine(ErrorInfo error)
    {
        var line = $"devspaces: {error.Message}";
        if (error.Hint != null)
        {
            line += $" Fix: {error.Hint}";
        }

        if (error.Detail != null && error.Code is RpcErrorCode.Unauthenticated or RpcErrorCode.AuthProviderFailed or RpcErrorCode.Forbidden
                or RpcErrorCode.ClusterUnreachable or RpcErrorCode.KubeconfigInvalid or RpcErrorCode.ClusterError)
        {
            line += $" [{error.Detail.ReplaceLineEndings(" ").Trim()}]";
        }

        return line;
    }

    private static async Task<int> DispatchAsync(CliArguments cli, Composition app, CliOutput output, CancellationToken ct)
    {
        switch (cli.Positional)
        {
            case ["context", "list"]:
                cli.RejectUnknownOptions();
                return output.Print(await app.Contexts.ListContextsAsync(ct), HumanOutput.Contexts);
            case ["context", "use", var name]:
            {
                cli.RejectUnknownOptions();
                var status = await app.Contexts.UseContextAsync(name, ct);
                return PrintStatus(output, status, $"Now using context '{name}' in {app.Session.WorkspaceFolder}.");
            }

            case ["context", "status"]:
                cli.RejectUnknownOptions();
                return PrintStatus(output, await app.Contexts.GetStatusAsync(ct), null);
            case ["space", "list"]:
                cli.RejectUnknownOptions();
                return output.Print(await app.Spaces.ListSpacesAsync(ct), HumanOutput.Spaces);
            case ["space", "create", var name]:
            {
                var parent = cli.Get("--parent");
                cli.RejectUnknownOptions();
                var created = await app.Spaces.CreateSpaceAsync(name, parent, ct);
                return output.Print(created, (o, r) => o.WriteLine(
                    r.Parent != null ? $"Created space '{r.Name}' as a child of '{r.Parent}'."
                    : r.NamespaceCreated ? $"Created root space '{r.Name}'."
                    : $"Namespace '{r.Name}' is now a root space (label added)."));
            }

            case ["space", "select", var name]:
                cli.RejectUnknownOptions();
                return output.Print(await app.Spaces.SelectSpaceAsync(name, ct), (o, s) => o.WriteLine($"Selected space '{s.Space}' (context '{s.Context}') for {s.WorkspaceFolder}."));
            case ["space", "select"] when cli.Has("--clear"):
                cli.RejectUnknownOptions();
                return output.Print(await app.Spaces.SelectSpaceAsync(null, ct), (o, _) => o.WriteLine("No space is selected."));
            case ["space", "current"]:
                cli.RejectUnknownOptions();
                return output.Print(await app.Spaces.GetCurrentAsync(ct), HumanOutput.Selection);
            case ["space", "delete", var name]:
            {
                var recursive = cli.Has("--recursive");
                cli.RejectUnknownOptions();
                return output.Print(await app.Spaces.DeleteSpaceAsync(name, recursive, ct), (o, r) => o.WriteLine(r.Message));
            }

            case ["service", "list"] or ["services", "list"]:
            {
                var space = cli.Get("--space");
                cli.RejectUnknownOptions();
                return output.Print(await app.Services.ListServicesAsync(space, ct), HumanOutput.Services);
            }

            case ["connect", _, ..]:
                return await app.ConnectCommand!.RunAsync(cli, ct);
            case ["port-forward", _, ..]:
                return await app.PortForwardCommand!.RunAsync(cli, ct);
            case ["image", "build", _]:
                return await app.ImageCommand!.RunAsync(cli, ct);
            default:
                throw new UsageException($"unknown command '{string.Join(' ', cli.Positional)}'");
        }
    }

    private static int PrintStatus(CliOutput output, ConnectionStatus status, string? success)
    {
        output.Print(status, (o, s) =>
        {
            if (success != null)
            {
                o.WriteLine(success);
            }

            HumanOutput.Status(o, s);
        });
        if (status.Error != null)
        {
            output.Error.WriteLine(output.Json ? CliOutput.JsonLine(new { error = status.Error }) : OneLine(status.Error));
            return 1;
        }

        return 0;
    }
}
