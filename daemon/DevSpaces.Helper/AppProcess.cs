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

    /// <summary>Stops the app (if it runs) and starts it again; reports its state after <paramref name="settle"/>, or as soon as it exits.</summary>
    public async Task<AppStatus> RestartAsync(TimeSpan grace, TimeSpan settle, CancellationToken cancellationToken)
    {
        await StopAsync(grace, cancellationToken).ConfigureAwait(false);
        var started = Start();
        if (started.State != AppState.Running)
        {
            return started;
        }

        try
        {
            await Exited.WaitAsync(settle, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Still running after the settle time: a good start.
        }

        return Status;
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
