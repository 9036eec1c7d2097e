using System.Runtime.InteropServices;

namespace DevSpaces.Core.Lifetime;

/// <summary>The few libc calls the daemon needs: process supervision (Linux and macOS; signal numbers are the same on both) and giving the C heap's free pages back.</summary>
public static class PosixCalls
{
    public const int SigKill = 9;

    public const int SigTerm = 15;

    private const int PrSetChildSubreaper = 36;

    private const int WNoHang = 1;

    /// <summary>Sends <paramref name="signal"/>; false when the process is gone (or not ours).</summary>
    public static bool Signal(int pid, int signal) => Kill(pid, signal) == 0;

    public static int ParentId() => GetParentId();

    /// <summary>Linux: orphaned descendants are reparented to this process instead of init.</summary>
    public static bool BecomeSubreaper() => OperatingSystem.IsLinux() && Prctl(PrSetChildSubreaper, 1, 0, 0, 0) == 0;

    /// <summary>Reaps <paramref name="pid"/> if it is an exited child of this process.</summary>
    public static void Reap(int pid) => WaitPid(pid, out _, WNoHang);

    /// <summary>glibc: returns the C heap's free pages to the system; false where libc has no <c>malloc_trim</c> (musl, macOS).</summary>
    public static bool TrimCHeap()
    {
        try
        {
            return OperatingSystem.IsLinux() && MallocTrim(0) >= 0;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    [DllImport("libc", EntryPoint = "getppid")]
    private static extern int GetParentId();

    [DllImport("libc", EntryPoint = "prctl", SetLastError = true)]
    private static extern int Prctl(int option, nint arg2, nint arg3, nint arg4, nint arg5);

    [DllImport("libc", EntryPoint = "waitpid", SetLastError = true)]
    private static extern int WaitPid(int pid, out int status, int options);
}
