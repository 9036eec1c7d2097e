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
        log.Write(eventType <= TraceEventType.Error ? LogLevel.Error : eventType == TraceEventType.Warning ? LogLevel.Warning : LogLevel.Debug, $"rpc: {message}");
    }

    public override void TraceEvent(TraceEventCache? eventCache, string source, TraceEventType eventType, int id, string? format, params object?[]? args)
    {
        TraceEvent(eventCache, source, eventType, id, args is { Length: > 0 } && format != null ? string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args) : format);
    }
}
