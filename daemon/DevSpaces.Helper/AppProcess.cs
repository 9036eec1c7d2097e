using System.Runtime.InteropServices;
using System.Text;
using DevSpaces.Helper.Protocol;

namespace DevSpaces.Helper;

/// <summary>
/// The app the helper runs: started with <c>posix_spawnp</c> in its own process group (signals reset to their
/// defaults, nothing blocked), stopped with SIGTERM to the group and SIGKILL after a grace period. As PID 1 one reaper
/// thread waits for every child, so orphans the app leaves behind are reaped too; otherwise it waits for the app
/// alone and leaves other children of the process to their owners.
/// </summary>
internal sealed class AppProcess
{
    private readonly string[] command;
    private readonly Action<string> log;
    private readonly Lock gate = new();
    private readonly SemaphoreSlim childSpawned = new(0);
    private readonly bool reapOrphans;
    private int pid;
    private AppStatus status = new(AppState.NotStarted, 0, 0, "not started");
    private TaskCompletionSource<int> exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public AppProcess(string[] command, Action<string> log, bool reapOrphans)
    {
        this.command = command;
        this.log = log;
        this.reapOrphans = reapOrphans;
        new Thread(Reap) { IsBackground = true, Name = "reaper" }.Start();
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

            var error = Spawn(out var started);
            if (error != 0)
            {
                var message = $"could not start {command[0]}: {Marshal.GetPInvokeErrorMessage(error)}";
                log(message);
                return status = new AppStatus(AppState.FailedToStart, 0, 0, message);
            }

            pid = started;
            exited = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            childSpawned.Release();
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

        Signal(target, Native.SIGTERM);
        try
        {
            await wait.WaitAsync(grace, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            log($"pid {target} did not stop within {grace.TotalSeconds:0.#} s of SIGTERM; killing it");
            Signal(target, Native.SIGKILL);
        }

        return await wait.ConfigureAwait(false);
    }

    private static void Signal(int target, int signal)
    {
        // The app leads its own process group; when it made another one, signal it alone.
        if (Native.Kill(-target, signal) != 0)
        {
            Native.Kill(target, signal);
        }
    }

    private void Reap()
    {
        while (true)
        {
            if (!reapOrphans)
            {
                childSpawned.Wait();
                int app;
                lock (gate)
                {
                    app = pid;
                }

                int status;
                while (Native.WaitPid(app, out status, 0) < 0 && Marshal.GetLastPInvokeError() == Native.EINTR)
                {
                }

                OnExit(app, status);
                continue;
            }

            var reaped = Native.WaitPid(-1, out var waitStatus, 0);
            if (reaped > 0)
            {
                OnExit(reaped, waitStatus);
                continue;
            }

            var errno = Marshal.GetLastPInvokeError();
            if (errno == Native.ECHILD)
            {
                // No children at all: sleep until the next start.
                childSpawned.Wait();
            }
        }
    }

    private void OnExit(int reaped, int waitStatus)
    {
        TaskCompletionSource<int> done;
        var code = Native.ExitCodeOf(waitStatus);
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

    private unsafe int Spawn(out int started)
    {
        var environment = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(name => name != HelperProtocol.KeyVariable)
            .Select(name => $"{name}={Environment.GetEnvironmentVariable(name)}")
            .ToArray();
        var allocated = new List<nint>();
        byte* Utf8(string text)
        {
            var bytes = Encoding.UTF8.GetBytes(text + "\0");
            var memory = (byte*)NativeMemory.Alloc((nuint)bytes.Length);
            bytes.CopyTo(new Span<byte>(memory, bytes.Length));
            allocated.Add((nint)memory);
            return memory;
        }

        byte** Array(string[] items)
        {
            var array = (byte**)NativeMemory.AllocZeroed((nuint)(items.Length + 1), (nuint)sizeof(byte*));
            allocated.Add((nint)array);
            for (var i = 0; i < items.Length; i++)
            {
                array[i] = Utf8(items[i]);
            }

            return array;
        }

        var attributes = NativeMemory.AllocZeroed(Native.SpawnAttrSize);
        var all = NativeMemory.AllocZeroed(Native.SigSetSize);
        var none = NativeMemory.AllocZeroed(Native.SigSetSize);
        try
        {
            Native.SpawnAttrInit(attributes);
            Native.SigFillSet(all);
            Native.SigEmptySet(none);
            // .NET ignores SIGPIPE and blocks nothing the app should inherit: give the app the defaults.
            Native.SpawnAttrSetSigDefault(attributes, all);
            Native.SpawnAttrSetSigMask(attributes, none);
            Native.SpawnAttrSetPgroup(attributes, 0);
            Native.SpawnAttrSetFlags(attributes, Native.POSIX_SPAWN_SETPGROUP | Native.POSIX_SPAWN_SETSIGDEF | Native.POSIX_SPAWN_SETSIGMASK);
            var result = Native.PosixSpawnp(out started, Utf8(command[0]), null, attributes, Array(command), Array(environment));
            Native.SpawnAttrDestroy(attributes);
            return result;
        }
        finally
        {
            NativeMemory.Free(attributes);
            NativeMemory.Free(all);
            NativeMemory.Free(none);
            foreach (var memory in allocated)
            {
                NativeMemory.Free((void*)memory);
            }
        }
    }
}
