using System.Globalization;

namespace DevSpaces.Helper;

/// <summary>
/// Whether something listens on a TCP port in the pod's network namespace, read from the kernel's socket tables
/// (<c>/proc/net/tcp</c> and <c>tcp6</c>): no connection is made, so the app sees nothing.
/// </summary>
internal static class ListeningPorts
{
    private const string ListenState = "0A";

    public static bool IsListening(int port) => IsListed(Read("/proc/net/tcp"), port) || IsListed(Read("/proc/net/tcp6"), port);

    /// <summary>Whether <paramref name="table"/> (in the format of <c>/proc/net/tcp</c>) has a socket listening on <paramref name="port"/>, on any address.</summary>
    public static bool IsListed(string table, int port)
    {
        var suffix = ":" + port.ToString("X4", CultureInfo.InvariantCulture);
        foreach (var line in table.Split('\n'))
        {
            // "  sl  local_address rem_address   st ..." then "   0: 00000000:1F90 00000000:0000 0A ...".
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 3 && fields[3] == ListenState && fields[1].EndsWith(suffix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static string Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            // No IPv6 in this namespace: nothing listens there.
            return "";
        }
    }
}
