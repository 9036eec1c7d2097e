namespace DevSpaces.Core.Logging;

/// <summary>Where diagnostics go: stderr and a file in the daemon, stderr in the CLI; never stdout.</summary>
public interface ILog
{
    void Write(LogLevel level, string message);
}
