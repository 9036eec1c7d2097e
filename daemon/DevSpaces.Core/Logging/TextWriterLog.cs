namespace DevSpaces.Core.Logging;

/// <summary>Writes timestamped lines at or above a level to one or more writers (stderr, a log file).</summary>
public sealed class TextWriterLog(LogLevel minimum, params TextWriter[] writers) : ILog
{
    private readonly Lock gate = new();

    public void Write(LogLevel level, string message)
    {
        if (level < minimum)
        {
            return;
        }

        var line = $"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {level.ToString().ToUpperInvariant(),-7} {message}";
        lock (gate)
        {
            foreach (var writer in writers)
            {
                writer.WriteLine(line);
                writer.Flush();
            }
        }
    }
}
