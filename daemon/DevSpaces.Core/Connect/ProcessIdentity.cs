using System.Diagnostics;
using System.Globalization;

namespace DevSpaces.Core.Connect;

/// <summary>
/// A process on this machine, told apart from a later one that reuses its pid by its start time (clock ticks since
/// boot from <c>/proc/&lt;pid&gt;/stat</c> on Linux; 0 where that is not available, and then the pid alone counts).
/// Remains of a session (hosts-file sections, mount folders) carry the identity of the process that owns them.
/// </summary>
/// <param name="Pid">The process id.</param>
/// <param name="StartTicks">When it started.</param>
public sealed record ProcessIdentity(int Pid, long StartTicks)
{
    /// <summary>This process.</summary>
    public static ProcessIdentity Current() => new(Environment.ProcessId, StartTicksOf(Environment.ProcessId) ?? 0);

    /// <summary>Parses <c>pid</c> or <c>pid.start</c> as written by <see cref="ToString"/>.</summary>
    public static ProcessIdentity? Parse(string? text)
    {
        var parts = (text ?? "").Split('.', 2);
        if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid <= 0)
        {
            return null;
        }

        var start = 0L;
        if (parts.Length == 2 && !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out start))
        {
            return null;
        }

        return new ProcessIdentity(pid, start);
    }

    /// <summary>True while the process runs (a different process with the same pid does not count).</summary>
    public bool IsAlive()
    {
        if (Pid == Environment.ProcessId)
        {
            return true;
        }

        if (StartTicksOf(Pid) is { } start)
        {
            return StartTicks == 0 || start == StartTicks;
        }

        if (OperatingSystem.IsLinux())
        {
            return false; // no /proc entry: gone
        }

        try
        {
            using var process = Process.GetProcessById(Pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public override string ToString() => StartTicks == 0
        ? Pid.ToString(CultureInfo.InvariantCulture)
        : $"{Pid.ToString(CultureInfo.InvariantCulture)}.{StartTicks.ToString(CultureInfo.InvariantCulture)}";

    private static long? StartTicksOf(int pid)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        // The command name (field 2) may hold spaces and parentheses; the fields after its last ')' are plain.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return fields.Length > 19 && long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) ? ticks : null;
    }
}
