namespace DevSpaces.Core.Images;

internal static class UriExtensions
{
    /// <summary>A unix socket or loopback TCP engine runs on this machine.</summary>
    public static bool IsLoopbackOrUnix(this Uri uri) => uri.Scheme is "unix" or "npipe" || uri.IsLoopback;
}
