using System.Runtime.InteropServices;

namespace DevSpaces.Helper;

/// <summary>The few libc calls the helper needs that .NET does not offer without <c>System.Diagnostics.Process</c>, which reaps only its own children.</summary>
internal static unsafe partial class Native
{
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;
    public const int WNOHANG = 1;
    public const int ECHILD = 10;
    public const int EINTR = 4;
    public const int ESRCH = 3;
    public const int O_CLOEXEC = 0x80000;
    public const int O_WRONLY = 0x1;
    public const int O_CREAT = 0x40;
    public const int O_TRUNC = 0x200;
    public const int EACCES = 13;
    public const int EPERM = 1;
    public const int EISDIR = 21;
    public const int ENOTEMPTY = 39;
    public const int EEXIST = 17;

    // glibc's flags for posix_spawnattr_setflags.
    public const short POSIX_SPAWN_SETPGROUP = 0x02;
    public const short POSIX_SPAWN_SETSIGDEF = 0x04;
    public const short POSIX_SPAWN_SETSIGMASK = 0x08;

    // Generous sizes for glibc's opaque structures (336 and 128 bytes on x86-64 and arm64).
    public const int SpawnAttrSize = 1024;
    public const int SigSetSize = 256;
    public const int FileActionsSize = 1024;

    [LibraryImport("libc", EntryPoint = "posix_spawnp")]
    public static partial int PosixSpawnp(out int pid, byte* file, void* fileActions, void* attributes, byte** argv, byte** envp);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_init")]
    public static partial int SpawnAttrInit(void* attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_destroy")]
    public static partial int SpawnAttrDestroy(void* attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setflags")]
    public static partial int SpawnAttrSetFlags(void* attributes, short flags);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setpgroup")]
    public static partial int SpawnAttrSetPgroup(void* attributes, int pgroup);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigdefault")]
    public static partial int SpawnAttrSetSigDefault(void* attributes, void* sigset);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigmask")]
    public static partial int SpawnAttrSetSigMask(void* attributes, void* sigset);

    [LibraryImport("libc", EntryPoint = "sigfillset")]
    public static partial int SigFillSet(void* sigset);

    [LibraryImport("libc", EntryPoint = "sigemptyset")]
    public static partial int SigEmptySet(void* sigset);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_init")]
    public static partial int FileActionsInit(void* actions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_destroy")]
    public static partial int FileActionsDestroy(void* actions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_adddup2")]
    public static partial int FileActionsAddDup2(void* actions, int fd, int newFd);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addchdir_np")]
    public static partial int FileActionsAddChdir(void* actions, byte* path);

    [LibraryImport("libc", EntryPoint = "pipe2", SetLastError = true)]
    public static partial int Pipe2(int* fds, int flags);

    /// <summary>Fills <paramref name="fds"/> (6 entries) with three close-on-exec pipes, read end first; an errno, or 0.</summary>
    public static int Pipes(int[] fds)
    {
        fixed (int* pair = fds)
        {
            for (var i = 0; i < fds.Length / 2; i++)
            {
                if (Pipe2(pair + (2 * i), O_CLOEXEC) != 0)
                {
                    return Marshal.GetLastPInvokeError();
                }
            }
        }

        return 0;
    }

    // A received file is written with these directly: .NET's own file calls add a lock, a truncate, a file system and
    // file type query and a seek per opened file, and two lookups per rename.
    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "pwrite", SetLastError = true)]
    public static partial nint PWrite(int fd, byte* buffer, nint count, long offset);

    [LibraryImport("libc", EntryPoint = "rename", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Rename(string from, string to);

    /// <summary>Writes all of <paramref name="data"/> at <paramref name="offset"/>; an errno, or 0.</summary>
    public static int WriteAt(Microsoft.Win32.SafeHandles.SafeFileHandle file, ReadOnlySpan<byte> data, long offset)
    {
        var fd = (int)file.DangerousGetHandle();
        fixed (byte* start = data)
        {
            for (var done = 0; done < data.Length;)
            {
                var n = PWrite(fd, start + done, data.Length - done, offset + done);
                if (n < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno == EINTR)
                    {
                        continue;
                    }

                    return errno;
                }

                done += (int)n;
            }
        }

        return 0;
    }

    [LibraryImport("libc", EntryPoint = "close")]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "waitpid", SetLastError = true)]
    public static partial int WaitPid(int pid, out int status, int options);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    /// <summary>How a wait status reads as an exit code: the code itself, or 128 + the signal that ended it (as shells say).</summary>
    public static int ExitCodeOf(int status) => (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f);
}
