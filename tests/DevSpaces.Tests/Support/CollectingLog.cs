using DevSpaces.Core.Logging;

namespace DevSpaces.Tests.Support;

/// <summary>Keeps the daemon's log lines so tests can wait on them and show them when they fail.</summary>
public sealed class CollectingLog : ILog
{
    public Signal<string> Lines { get; } = new();

    public void Write(LogLevel level, string message)
    {
        Lines.Add($"{level}: {message}");
        TestContext.Progress.WriteLine($"[daemon {level}] {message}");
    }
}
