using System.Runtime.InteropServices;

namespace DevSpaces.Helper;

/// <summary>
/// Owns the exits of the processes the helper starts (the app, and programs run by exec). As PID 1 one reaper thread
/// waits for every child, so orphans left behind are reaped too; otherwise each started process gets a thread waiting
/// for it alone, and other children of the process are left to their owners.
/// </summary>
internal sealed class Children
{
    private readonly Lock gate = new();
    private readonly Dictionary<int, Action<int, int>> watched = [];
    private readonly SemaphoreSlim spawned = new(0);
    private readonly bool reapOrphans;

    public Children(bool reapOrphans)
    {
        this.reapOrphans = reapOrphans;
        if (reapOrphans)
        {
            new Thread(ReapAll) { IsBackground = true, Name = "reaper" }.Start();
        }
    }

    /// <summary>
    /// Runs <paramref name="spawn"/> (an errno, and the pid when it is 0) and watches the process it started:
    /// <paramref name="onExit"/> gets its pid and exit code (128 + signal when a signal ended it). Spawning and
    /// watching happen under one lock, so an exit reaped at once still finds its watcher.
    /// </summary>
    public int Start(Func<(int Error, int Pid)> spawn, Action<int, int> onExit, out int pid)
    {
        lock (gate)
        {
            (var error, pid) = spawn();
            if (error != 0)
            {
                return error;
            }

            watched[pid] = onExit;
            if (reapOrphans)
            {
                spawned.Release();
            }
            else
            {
                var child = pid;
                new Thread(() => WaitFor(child)) { IsBackground = true, Name = $"wait {child}" }.Start();
            }

            return 0;
        }
    }

    private void WaitFor(int pid)
    {
        int status;
        int result;
        while ((result = Native.WaitPid(pid, out status, 0)) < 0 && Marshal.GetLastPInvokeError() == Native.EINTR)
        {
        }

        Complete(pid, result < 0 ? 255 : Native.ExitCodeOf(status));
    }

    private void ReapAll()
    {
        while (true)
        {
            var reaped = Native.WaitPid(-1, out var status, 0);
            if (reaped > 0)
            {
                Complete(reaped, Native.ExitCodeOf(status));
                continue;
            }

            if (Marshal.GetLastPInvokeError() == Native.ECHILD)
            {
                // No children at all: sleep until the next start.
                spawned.Wait();
            }
        }
    }

    private void Complete(int pid, int code)
    {
        Action<int, int>? onExit;
        lock (gate)
        {
            if (!watched.Remove(pid, out onExit))
            {
                return;
            }
        }

        onExit(pid, code);
    }
}
