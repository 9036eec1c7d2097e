namespace DevSpaces.Core.Logging;

/// <summary>Writes to several logs (stderr and a file).</summary>
public sealed class CompositeLog(params ILog[] logs) : ILog
{
    public void Write(LogLevel level, string message)
    {
        foreach (var log in logs)
        {
            log.Write(level, message);
        }
    }
}
