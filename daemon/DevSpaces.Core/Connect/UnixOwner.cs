using System.Runtime.InteropServices;

namespace DevSpaces.Core.Connect;

/// <summary>
/// File ownership on Linux, which .NET does not expose: read with <c>statx</c> (its layout is the same on every
/// architecture) and set with <c>chown</c>. Used to give a replaced file the owner of the one it replaces.
/// </summary>
internal static class UnixOwner
{
    private const int AtFdCwd = -100;
    private const uint StatxUid = 0x8;
    private const uint StatxGid = 0x10;

    /// <summary>The owner and group of <paramref name="path"/>; null when not on Linux or unknown.</summary>
    public static (uint Uid, uint Gid)? Of(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var buffer = new byte[256];
        try
        {
            if (Statx(AtFdCwd, path, 0, StatxUid | StatxGid, buffer) != 0)
            {
                return null;
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }

        // struct statx: stx_mask u32, stx_blksize u32, stx_attributes u64, stx_nlink u32, stx_uid u32, stx_gid u32.
        return (BitConverter.ToUInt32(buffer, 20), BitConverter.ToUInt32(buffer, 24));
    }

    /// <summary>Sets owner and group; false when that is not allowed.</summary>
    public static bool TrySet(string path, uint uid, uint gid)
    {
        try
        {
            return Chown(path, uid, gid) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);

    [DllImport("libc", EntryPoint = "chown", SetLastError = true)]
    private static extern int Chown([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint uid, uint gid);
}
