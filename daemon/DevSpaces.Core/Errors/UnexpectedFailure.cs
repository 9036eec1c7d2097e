using DevSpaces.Contracts;
using DevSpaces.Core.Logging;

namespace DevSpaces.Core.Errors;

/// <summary>
/// What a user sees when something fails that no code path expected (a bug): the operation, the cause in one line
/// and the log file that holds the stack trace. The stack trace itself goes to the log file only.
/// </summary>
public static class UnexpectedFailure
{
    private const int MaxCauseLength = 300;

    /// <summary>The error for <paramref name="operation"/> ("space list", "portForward/start") that failed with <paramref name="error"/>.</summary>
    public static DevSpacesException Describe(string operation, Exception error, string? logFile) => new(
        RpcErrorCode.Unexpected,
        $"'{operation}' failed unexpectedly: {Cause(error)}",
        logFile == null
            ? "This is a bug in DevSpaces; the log has the details. Retry, and if it happens again report it with the log."
            : $"This is a bug in DevSpaces; the details are in {logFile}. Retry, and if it happens again report it with that file.",
        null,
        error);

    /// <summary>Logs the failure: one line at error level, the stack trace at debug level (the file log only).</summary>
    public static void Log(ILog log, string operation, Exception error)
    {
        log.Error($"'{operation}' failed unexpectedly: {Cause(error)}");
        log.Debug($"'{operation}' failed unexpectedly: {error}");
    }

    /// <summary>The exception's type and message on one line, without a stack trace.</summary>
    public static string Cause(Exception error)
    {
        var root = error is AggregateException aggregate ? aggregate.GetBaseException() : error;
        var text = $"{root.GetType().Name}: {root.Message.ReplaceLineEndings(" ").Trim()}";
        return text.Length <= MaxCauseLength ? text : text[..MaxCauseLength] + "…";
    }
}
