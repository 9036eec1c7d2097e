using System.Runtime.InteropServices;
using DevSpaces.Helper.Protocol;

namespace DevSpaces.Helper;

/// <summary>
/// The app the helper runs: started by <see cref="Spawner"/> in its own process group, stopped with SIGTERM to the
/// group and SIGKILL after a grace period; <see cref="Children"/> reports its exit.
/// </summary>
internal sealed class AppProcess
{
    private readonly string[] command;
    private readonly Action<string> log;
    private readonly Lock gate = new();
    private readonly Children children;
    private int pid;
    private AppStatus status = new(AppState.NotStarted, 0, 0, "not started");
    private TaskCompletionSource<int> exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public AppProcess(string[] command, Action<string> log, Children children)
    {
        this.command = command;
        this.log = log;
        this.children = children;
    }

    public AppStatus Status
    {
        get
        {
            lock (gate)
            {
                return status;
            }
        }
    }

    /// <summary>Completes with the exit code when the current run ends.</summary>
    public Task<int> Exited
    {
        get
        {
            lock (gate)
            {
                return exited.Task;
            }
        }
    }

    public AppStatus Start()
    {
        lock (gate)
        {
            if (pid != 0)
            {
                return status;
            }

            if (command.Length == 0)
            {
                return status = new AppStatus(AppState.FailedToStart, 0, 0, "the helper was started without an app command");
            }

            var error = children.Start(() => Spawner.Spawn(command, null, [], null), OnExit, out var started);
            if (error != 0)
            {
                var message = $"could not start {command[0]}: {Marshal.GetPInvokeErrorMessage(error)}";
                log(message);
                return status = new AppStatus(AppState.FailedToStart, 0, 0, message);
            }

            pid = started;
            exited = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            log($"started {command[0]} as pid {started}");
            return status = new AppStatus(AppState.Running, started, 0, "running");
        }
    }

    /// <summary>
    /// Stops the app (if it runs) and starts it again. Reports its state after <paramref name="settle"/>, or as soon
    /// as it exits; with a <paramref name="readyPort"/>, as soon as something listens on that port instead (at the
    /// latest after <paramref name="readyTimeout"/>, then not <see cref="AppStatus.Listening"/>).
    /// </summary>
    public async Task<AppStatus> RestartAsync(TimeSpan grace, TimeSpan settle, int readyPort, TimeSpan readyTimeout, CancellationToken cancellationToken)
    {
        await StopAsync(grace, cancellationToken).ConfigureAwait(false);
        var started = Start();
        if (started.State != AppState.Running)
        {
            return started;
        }

        var exit = Exited;
        if (readyPort <= 0)
        {
            await WaitAsync(exit, settle, cancellationToken).ConfigureAwait(false);
            return Status;
        }

        var time = System.Diagnostics.Stopwatch.StartNew();
        while (!ListeningPorts.IsListening(readyPort))
        {
            if (time.Elapsed >= readyTimeout)
            {
                log($"pid {started.Pid} runs, but nothing listens on port {readyPort} after {time.Elapsed.TotalSeconds:0.#} s");
                return Status;
            }

            if (await WaitAsync(exit, ReadyPoll, cancellationToken).ConfigureAwait(false))
            {
                return Status;
            }
        }

        log($"pid {started.Pid} listens on port {readyPort} after {time.Elapsed.TotalMilliseconds:0} ms");
        var now = Status;
        return now.State == AppState.Running && now.Pid == started.Pid ? now with { Listening = true } : now;
    }

    /// <summary>How often a restart looks for the app's listening socket: a table read each time, no connection.</summary>
    private static readonly TimeSpan ReadyPoll = TimeSpan.FromMilliseconds(5);

    /// <summary>True when <paramref name="exit"/> completed within <paramref name="timeout"/>.</summary>
    private static async Task<bool> WaitAsync(Task<int> exit, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await exit.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>SIGTERM to the app's process group, SIGKILL after <paramref name="grace"/>; the exit code, or null when nothing ran.</summary>
    public async Task<int?> StopAsync(TimeSpan grace, CancellationToken cancellationToken)
    {
        int target;
        Task<int> wait;
        lock (gate)
        {
            if (pid == 0)
            {
                return null;
            }

            target = pid;
            wait = exited.Task;
        }

        Spawner.Signal(target, Native.SIGTERM);
        try
        {
            await wait.WaitAsync(grace, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            log($"pid {target} did not stop within {grace.TotalSeconds:0.#} s of SIGTERM; killing it");
            Spawner.Signal(target, Native.SIGKILL);
        }

        return await wait.ConfigureAwait(false);
    }

    private void OnExit(int reaped, int code)
    {
        TaskCompletionSource<int> done;
        lock (gate)
        {
            if (reaped != pid)
            {
                return;
            }

            pid = 0;
            status = new AppStatus(AppState.Exited, reaped, code, $"exited with code {code}");
            done = exited;
        }

        // Whatever the app left in its group goes with it.
        Native.Kill(-reaped, Native.SIGKILL);
        log($"pid {reaped} exited with code {code}");
        done.TrySetResult(code);
    }
}
