namespace DevSpaces.Core.Logging;

/// <summary>Discards everything.</summary>
public sealed class NullLog : ILog
{
    public void Write(LogLevel level, string message)
    {
    }
}
