using DevSpaces.Contracts;
using StreamJsonRpc;

namespace DevSpaces.Core.Errors;

/// <summary>
/// A failure the user can act on: a one-line message (what and where), a hint (how to fix it) and the
/// server's own text. Over RPC it becomes an error with one of <see cref="RpcErrorCode"/> and
/// <see cref="ErrorData"/>; the CLI prints it as one line.
/// </summary>
public sealed class DevSpacesException : LocalRpcException
{
    public DevSpacesException(int code, string message, string? hint = null, string? detail = null, Exception? inner = null, IReadOnlyList<string>? choices = null)
        : base(message, inner)
    {
        ErrorCode = code;
        Hint = hint;
        Detail = detail;
        ErrorData = new ErrorData(hint, detail, choices);
    }

    /// <summary>How to fix it.</summary>
    public string? Hint { get; }

    /// <summary>The API server's or plugin's message, verbatim.</summary>
    public string? Detail { get; }

    /// <summary>The same failure as a DTO for results and notifications.</summary>
    public ErrorInfo ToErrorInfo() => new(ErrorCode, Message, Hint, Detail);
}
