using System.Globalization;

namespace DevSpaces.Bench.PortForward;

/// <summary>CPU seconds used by processes (with their reaped children), read from /proc, to show where time goes.</summary>
public static class ProcessCpu
{
    private static readonly double TicksPerSecond = 100.0;

    public static IReadOnlyDictionary<string, double> Snapshot(IReadOnlyDictionary<string, int> processes) =>
        processes.ToDictionary(p => p.Key, p => Seconds(p.Value));

    /// <summary>Pids of the first process whose command name is <paramref name="comm"/>.</summary>
    public static int? Find(string comm)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                if (File.ReadAllText(Path.Combine(dir, "comm")).Trim() == comm)
                {
                    return pid;
                }
            }
            catch (IOException)
            {
            }
        }

        return null;
    }

    public static double Seconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // utime, stime, cutime, cstime are fields 14-17 of stat; after the comm they start at index 11.
            var ticks = fields.Skip(11).Take(4).Sum(f => long.Parse(f, CultureInfo.InvariantCulture));
            return ticks / TicksPerSecond;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
