namespace DevSpaces.Contracts;

/// <summary>An application error carried inside a result or notification.</summary>
/// <param name="Code">One of <see cref="RpcErrorCode"/>.</param>
/// <param name="Message">What went wrong, one line.</param>
/// <param name="Hint">How to fix it.</param>
/// <param name="Detail">The server's or plugin's message, verbatim.</param>
public sealed record ErrorInfo(int Code, string Message, string? Hint, string? Detail);
