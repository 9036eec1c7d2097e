using System.Diagnostics;

namespace DevSpaces.Core.Logging;

/// <summary>Forwards StreamJsonRpc's trace output (warnings and errors) to our log.</summary>
public sealed class LogTraceListener(ILog log) : TraceListener
{
    public override void Write(string? message)
    {
    }

    public override void WriteLine(string? message)
    {
    }

    public override void TraceEvent(TraceEventCache? eventCache, string source, TraceEventType eventType, int id, string? message)
    {
        // Failures we raise on purpose (DevSpacesException) reach the client as errors; they are not faults of the daemon.
        var ours = message?.Contains(nameof(Errors.DevSpacesException), StringComparison.Ordinal) == true;
        var level = ours ? LogLevel.Debug
            : eventType <= TraceEventType.Error ? LogLevel.Error
            : eventType == TraceEventType.Warning ? LogLevel.Warning
            : LogLevel.Debug;
        // A stack trace is for the file log (debug); stderr, which editors show, gets its first line.
        var firstLine = message?.ReplaceLineEndings("\n").Split('\n')[0];
        if (level > LogLevel.Debug && firstLine != message)
        {
            log.Write(level, $"rpc: {firstLine}");
            level = LogLevel.Debug;
        }

        log.Write(level, $"rpc: {message}");
    }

    public override void TraceEvent(TraceEventCache? eventCache, string source, TraceEventType eventType, int id, string? format, params object?[]? args)
    {
        TraceEvent(eventCache, source, eventType, id, args is { Length: > 0 } && format != null ? string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args) : format);
    }
}
