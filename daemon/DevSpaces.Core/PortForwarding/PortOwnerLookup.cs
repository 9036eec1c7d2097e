using System.Globalization;

namespace DevSpaces.Core.PortForwarding;

/// <summary>
/// Finds which local process listens on a TCP port, from <c>/proc/net/tcp[6]</c> (port → socket inode) and
/// <c>/proc/*/fd</c> (inode → process). Processes of other users are invisible without privileges; then the
/// answer is null.
/// </summary>
public sealed class PortOwnerLookup(string procRoot = "/proc")
{
    private const string ListenState = "0A";

    /// <summary>A description such as <c>process 1234 (kubectl port-forward svc/api 8080:80)</c>, or null.</summary>
    public string? FindListener(int port)
    {
        try
        {
            var inodes = new HashSet<string>(StringComparer.Ordinal);
            foreach (var table in new[] { "net/tcp", "net/tcp6" })
            {
                var path = Path.Combine(procRoot, table);
                if (File.Exists(path))
                {
                    inodes.UnionWith(ListeningInodes(File.ReadLines(path), port));
                }
            }

            inodes.Remove("0");
            if (inodes.Count == 0)
            {
                return null;
            }

            foreach (var processDirectory in Directory.EnumerateDirectories(procRoot))
            {
                var pid = Path.GetFileName(processDirectory);
                if (!int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    continue;
                }

                if (OwnsAnyInode(processDirectory, inodes))
                {
                    return $"process {pid} ({CommandLine(processDirectory)})";
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Diagnostics only: not knowing the owner must not hide the real error.
        }

        return null;
    }

    /// <summary>Socket inodes that listen on <paramref name="port"/> in a <c>/proc/net/tcp</c> table.</summary>
    public static IEnumerable<string> ListeningInodes(IEnumerable<string> tableLines, int port)
    {
        foreach (var line in tableLines.Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 10 || fields[3] != ListenState)
            {
                continue;
            }

            var local = fields[1];
            var colon = local.LastIndexOf(':');
            if (colon > 0 && int.TryParse(local.AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var localPort)
                && localPort == port)
            {
                yield return fields[9];
            }
        }
    }

    private static bool OwnsAnyInode(string processDirectory, HashSet<string> inodes)
    {
        try
        {
            foreach (var fd in Directory.EnumerateFileSystemEntries(Path.Combine(processDirectory, "fd")))
            {
                var target = new FileInfo(fd).LinkTarget;
                if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal)
                    && inodes.Contains(target["socket:[".Length..^1]))
                {
                    return true;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The process exited or is not ours.
        }

        return false;
    }

    private static string CommandLine(string processDirectory)
    {
        try
        {
            var cmdline = File.ReadAllText(Path.Combine(processDirectory, "cmdline")).Replace('\0', ' ').Trim();
            if (cmdline.Length > 0)
            {
                return cmdline.Length > 120 ? cmdline[..120] + "…" : cmdline;
            }

            return File.ReadAllText(Path.Combine(processDirectory, "comm")).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "unknown command";
        }
    }
}
