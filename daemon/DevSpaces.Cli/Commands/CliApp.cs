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
                  [--keep-original] [--forward-probes] [--isolated] [-- command args]
                                            serve the service from localhost:N (runs the command with the
                                            cluster environment, or waits); Ctrl-C restores the service.
                                            Mounted ConfigMap/Secret files are copied to a private folder
                                            ($DEVSPACES_MOUNT_ROOT; --no-mounts: don't); --hosts names every
                                            service in /etc/hosts (DEVSPACES_HOSTS_FILE) on its own 127.77.x.y;
                                            --keep-original: original pods keep running (by default they
                                            are scaled to 0 once the Service points at this machine);
                                            --forward-probes: the local process
                                            answers the container's probes; --isolated: only requests routed
                                            to child space S reach this machine (routed root), the parents'
                                            pods are not changed
          port-forward <target> <local>:<remote>... [--space S] [--address A]
                                            forward local ports to a pod, deployment/NAME or service/NAME
                                            until Ctrl-C (--output json: one event per line)
          image build <context> --repository R [--dockerfile F] [--build-arg K=V]... [--registry REG]
                      [--force] [--no-deliver]
                                            build as R:ds-<content hash> and deliver it to the cluster
          prep [<folder>] [--service S]     write a Dockerfile, .dockerignore, k8s/<service>.yaml and devspaces.yaml
                                            for the .NET, Node.js or Java project in the folder (default: this
                                            workspace); existing files are kept
          up [<folder>] [--space S] [--local-port N] [--build-arg K=V]... [--detach]
             [--debug [--stop-on-entry] [--debug-port N]]
                                            build and deploy the service of the folder's devspaces.yaml into the
                                            space, forward its port, then sync every saved change (copy, restart,
                                            build step or rebuild as its update rules say) and print its output
                                            until Ctrl-C; the service keeps running (--detach: return once it is up);
                                            --debug: Node.js/Java start with their debugger on the pod's loopback,
                                            forwarded to 9229/5005 (or N, or a free port), and no probes
          debug --print-launch-config [<folder>] [--port N] [--space S]
                                            print the VS Code launch configuration that attaches Node.js (node),
                                            Java (java) or .NET (coreclr) to the service run with up --debug
          debug --processes [<folder>] [--space S]
                                            the .NET processes in the service's container (pid, runtime, command
                                            line), found through their diagnostic sockets
          debug --resume [<folder>] [--space S] [--pid N]
                                            let the .NET app started with up --debug --stop-on-entry run
          exec <service> [--space S] [--workdir DIR] [--env K=V]... [--resume-after-attach] -- <program> [args]
                                            run a program in the container of a service that is up, with stdin,
                                            stdout and stderr carried byte for byte (no terminal); exits with its
                                            exit code (the coreclr configuration's pipeTransport runs it;
                                            --resume-after-attach: resume the .NET app waiting at start-up once the
                                            debugger it carries answered configurationDone)
          down [<folder>] [--space S]       remove what up deployed and put back what it replaced
          preview up --name <pr-N|branch> --parent <space> [--service <folder>]... [--image <service>=<ref>]...
                     [--build-arg K=V]... [--commit SHA] [--pr N]
                                            create or update the preview space (a child of the parent labelled as a
                                            preview), deploy each folder's service into it (built, or the given
                                            image), wait until ready and print its URL
          preview down --name <name>        delete the preview space (never a space that is not a preview)
          preview list [--parent P] [--older-than 7d [--delete]]
                                            previews with age, commit and URL (--delete: remove those older)
          preview prune --older-than 7d [--parent P]
                                            delete the previews not deployed for that long
          project check [--file F]          check devspaces.yaml (default: here, else in the workspace folder):
                                            file:line:col: severity: message; exit code 1 on errors
          routing enable [--space S] [--host H] [--entry SERVICE]
                                            put the router in front of root space S's HTTP Services: a request
                                            with 'devspaces-route-as: <space>' (or baggage devspaces.space=<space>,
                                            or the URL <space>.s.<host>) reaches the nearest space on the path
                                            space -> parent -> ... -> S that has the service; prints each space's URL
          routing disable [--space S]       remove the router; every Service gets its original spec back
          traces [--space S] [--only SPACE] [--follow]
                                            the HTTP requests the router of S's root routed (-f: keep following)
          daemon --stdio --client-pid <pid> --log-dir <dir>
          --version

        options: --kubeconfig <file>  --output text|json (-o)  --workspace <dir>
        """;

    /// <summary>
    /// The usage lines of a known command given without what it needs (<c>devspaces connect</c>, <c>space create</c>),
    /// joined with "; ", or null when the words name no command.
    /// </summary>
    public static string? UsageOf(IReadOnlyList<string> words)
    {
        if (words.Count == 0)
        {
            return null;
        }

        var prefix = string.Join(' ', words) + " ";
        var lines = Usage.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.StartsWith(prefix, StringComparison.Ordinal) || line == prefix.TrimEnd())
            .Select(line => "devspaces " + System.Text.RegularExpressions.Regex.Split(line, @"\s{2,}")[0])
            .ToList();
        return lines.Count == 0 ? null : string.Join("; ", lines);
    }

    /// <summary>This process's standard streams as bytes, for <c>exec</c> (default: the console's).</summary>
    public Func<(Stream In, Stream Out, Stream Error)>? StandardStreams { get; init; }

    /// <summary>Where the details of an unexpected failure are written (default: <see cref="DefaultLogDirectory"/> of the home folder).</summary>
    public string? LogDirectory { get; init; }

    /// <summary>The kubeconfig for a <c>--kubeconfig</c> value (or none): every verb that touches a cluster starts here.</summary>
    public Func<string?, IKubeconfigSource> Kubeconfig { get; init; } = path => new KubeconfigSource(path, kubeconfigVariable, homeDirectory);

    /// <summary><c>DEVSPACES_LOG_DIR</c>, else <c>$XDG_STATE_HOME/devspaces/logs</c>, else <c>~/.local/state/devspaces/logs</c>.</summary>
    public static string DefaultLogDirectory(Func<string, string?> environment, string? homeDirectory = null)
    {
        if (environment("DEVSPACES_LOG_DIR") is { Length: > 0 } explicitDirectory)
        {
            return explicitDirectory;
        }

        var state = environment("XDG_STATE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(homeDirectory ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state");
        return Path.Combine(state, "devspaces", "logs");
    }

    /// <summary>
    /// Runs one command. This is the CLI's guard: whatever a verb throws ends as one line on stderr and an exit code,
    /// never as a stack trace (that goes to a file in <see cref="LogDirectory"/>).
    /// </summary>
    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var json = false;
        var operation = "devspaces";
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

            operation = OperationName(cli.Positional);
            var kubeconfig = Kubeconfig(cli.Get("--kubeconfig"));
            var folder = cli.Get("--workspace") is { } w ? Path.GetFullPath(w, currentDirectory) : WorkspaceLocator.Find(currentDirectory);
            var log = new TextWriterLog(LogLevel.Warning, stderr);
            var output = new CliOutput(stdout, stderr, json);
            await using var composition = Composition.ForCli(kubeconfig, log, folder, output, currentDirectory, stdio: StandardStreams);
            return await DispatchAsync(cli, composition, output, cancellationToken).ConfigureAwait(false);
        }
        catch (UsageException ex)
        {
            stderr.WriteLine($"devspaces: {ex.Message} (see devspaces --help)");
            return 2;
        }
        catch (DevSpacesException ex)
        {
            return Fail(ex, json);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C or SIGTERM before the verb finished: it has cleaned up on its way out.
            return 130;
        }
        catch (Exception ex)
        {
            return Fail(UnexpectedFailure.Describe(operation, ex, WriteDetails(operation, ex)), json);
        }
    }

    /// <summary>The verb a command line names, for messages: "space list", "connect".</summary>
    public static string OperationName(IReadOnlyList<string> positional) => positional switch
    {
        [] => "devspaces",
        ["connect" or "port-forward" or "daemon" or "version" or "help" or "exec" or "debug", ..] => positional[0],
        [var noun, var verb, ..] => $"{noun} {verb}",
        [var only] => only,
    };

    private int Fail(DevSpacesException ex, bool json)
    {
        stderr.WriteLine(json ? CliOutput.JsonLine(new { error = ex.ToErrorInfo() }) : OneLine(ex.ToErrorInfo()));
        return 1;
    }

    /// <summary>Writes what a user should not see (the stack trace) to a new file; returns its path, or null when that failed too.</summary>
    private string? WriteDetails(string operation, Exception error)
    {
        try
        {
            var directory = LogDirectory ?? DefaultLogDirectory(_ => null, homeDirectory);
            Directory.CreateDirectory(directory);
            var path = Path.Combine(directory, $"cli-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}.log");
            File.WriteAllText(path, $"{DateTimeOffset.UtcNow:O} devspaces {Program.ProductVersion}: '{operation}' failed unexpectedly\n{error}\n");
            return path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
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
            case ["prep", ..]:
                return await app.ProjectCommand!.PrepareAsync(cli, ct);
            case ["up", ..]:
                return await app.UpCommand!.UpAsync(cli, ct);
            case ["debug", ..]:
                return await app.DebugCommand!.RunAsync(cli, ct);
            case ["exec", ..]:
                return await app.ExecCommand!.RunAsync(cli, ct);
            case ["down", ..]:
                return await app.UpCommand!.DownAsync(cli, ct);
            case ["project", "check"]:
                return await app.ProjectCommand!.CheckAsync(cli, ct);
            case ["routing", "enable"]:
                return await app.RoutingCommand!.EnableAsync(cli, ct);
            case ["routing", "disable"]:
                return await app.RoutingCommand!.DisableAsync(cli, ct);
            case ["traces"]:
                return await app.RoutingCommand!.TracesAsync(cli, ct);
            case ["preview", "up"]:
                return await app.PreviewCommand!.UpAsync(cli, ct);
            case ["preview", "down"]:
                return await app.PreviewCommand!.DownAsync(cli, ct);
            case ["preview", "list"]:
                return await app.PreviewCommand!.ListAsync(cli, prune: false, ct);
            case ["preview", "prune"]:
                return await app.PreviewCommand!.ListAsync(cli, prune: true, ct);
            default:
                throw new UsageException(UsageOf(cli.Positional) is { } usage
                    ? $"'{string.Join(' ', cli.Positional)}' is not complete: {usage}"
                    : $"unknown command '{string.Join(' ', cli.Positional)}'");
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
