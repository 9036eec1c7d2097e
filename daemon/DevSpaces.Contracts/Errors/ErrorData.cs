namespace DevSpaces.Contracts;

/// <summary>The <c>data</c> of an application error.</summary>
/// <param name="Hint">How to fix it.</param>
/// <param name="Detail">The API server's or credential plugin's message, verbatim.</param>
public sealed record ErrorData(string? Hint, string? Detail);
