using System.Runtime.InteropServices;

namespace DevSpaces.Core.Up;

/// <summary>
/// Keeps file descriptors this process inherited (beyond stdin, stdout and stderr) from the programs it starts. A
/// compile leaves servers running (the C# compiler server, MSBuild's nodes, the warm javac) that would otherwise hold
/// them for as long as they live: a lock taken by whoever started this process, for example, would never be released.
/// </summary>
internal static class InheritedDescriptors
{
    private const int GetFlags = 1;
    private const int SetFlags = 2;
    private const int CloseOnExec = 1;

    /// <summary>Marks every descriptor above 2 close-on-exec (the runtime opens its own that way already).</summary>
    public static void KeepFromChildren()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
            {
                if (int.TryParse(Path.GetFileName(entry), out var fd) && fd > 2 && Fcntl(fd, GetFlags, 0) is var flags and >= 0 && (flags & CloseOnExec) == 0)
                {
                    Fcntl(fd, SetFlags, flags | CloseOnExec);
                }
            }
        }
        catch (IOException)
        {
        }
    }

    // DllImport rather than LibraryImport: this project has no unsafe code, and only ints cross.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "fcntl")]
    private static extern int Fcntl(int fd, int command, int argument);
#pragma warning restore SYSLIB1054
}
