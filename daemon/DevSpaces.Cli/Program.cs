using System.Reflection;
using System.Runtime.InteropServices;
using DevSpaces.Cli.Commands;
using DevSpaces.Cli.Daemon;
using DevSpaces.Core.Errors;
using DevSpaces.Core.Lifetime;
using DevSpaces.Core.Logging;

namespace DevSpaces.Cli;

/// <summary>Entry point of the <c>devspaces</c> executable: the CLI, and with <c>daemon --stdio</c> the daemon.</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is [CommandSupervisor.Verb, ..])
        {
            return await SuperviseAsync(args[1..]);
        }

        using var interrupt = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            interrupt.Cancel();
        };

        // SIGTERM (an editor stopping its daemon) ends the run the same orderly way: watches stopped, logs flushed.
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            interrupt.Cancel();
        });

        if (args is ["daemon", ..])
        {
            return await RunDaemonAsync(args[1..], interrupt.Token);
        }

        var app = new CliApp(Console.Out, Console.Error, Environment.CurrentDirectory,
            Environment.GetEnvironmentVariable("KUBECONFIG"), Environment.GetFolderPath(Environment.SpecialFolder.UserProfile))
        {
            LogDirectory = CliApp.DefaultLogDirectory(Environment.GetEnvironmentVariable),
        };
        return await app.RunAsync(args, interrupt.Token);
    }

    public static string ProductVersion =>
        typeof(Program).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";

    /// <summary>
    /// The process between <c>devspaces connect … -- cmd</c> and its command (see <see cref="CommandSupervisor"/>):
    /// SIGTERM from the CLI ends the command; a terminal's Ctrl-C and hang-up reach the command directly, so they are ignored here
    /// (the CLI's end is noticed by the supervisor itself).
    /// </summary>
    private static async Task<int> SuperviseAsync(string[] args)
    {
        var supervisor = CommandSupervisor.Parse(args, Console.Error);
        if (supervisor == null)
        {
            await Console.Error.WriteLineAsync($"devspaces {CommandSupervisor.Verb}: internal use only (by devspaces connect)");
            return 2;
        }

        using var stop = new CancellationTokenSource();
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => context.Cancel = true);
        using var quit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, context => context.Cancel = true);
        using var hangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context => context.Cancel = true);
        return await supervisor.RunAsync(stop.Token);
    }

    private static async Task<int> RunDaemonAsync(string[] args, CancellationToken cancellationToken)
    {
        DaemonOptions options;
        try
        {
            var cli = CliArguments.Parse(args);
            if (!cli.Has("--stdio"))
            {
                throw new UsageException("the daemon speaks only over stdio: pass --stdio");
            }

            options = new DaemonOptions(cli.GetInt("--client-pid"), cli.Get("--log-dir"), cli.Get("--kubeconfig"));
            cli.RejectUnknownOptions();
            if (cli.Positional.Count > 0)
            {
                throw new UsageException($"unexpected '{cli.Positional[0]}'");
            }
        }
        catch (UsageException ex)
        {
            Console.Error.WriteLine($"devspaces daemon: {ex.Message}");
            return 2;
        }

        // Stdout is the protocol: anything else that writes to Console.Out goes to stderr instead.
        var protocolOut = Console.OpenStandardOutput();
        Console.SetOut(Console.Error);

        StreamWriter? file = null;
        if (options.LogDirectory != null)
        {
            Directory.CreateDirectory(options.LogDirectory);
            var path = Path.Combine(options.LogDirectory, $"daemon-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}.log");
            file = new StreamWriter(path, append: true);
            options = options with { LogFile = path };
        }

        var log = file == null
            ? new TextWriterLog(LogLevel.Info, Console.Error)
            : (ILog)new CompositeLog(new TextWriterLog(LogLevel.Info, Console.Error), new TextWriterLog(LogLevel.Debug, file));
        try
        {
            return await DaemonHost.RunAsync(Console.OpenStandardInput(), protocolOut, options, log, cancellationToken);
        }
        catch (Exception ex)
        {
            UnexpectedFailure.Log(log, "daemon", ex);
            return 1;
        }
        finally
        {
            if (file != null)
            {
                await file.DisposeAsync();
            }
        }
    }
}
