namespace DevSpaces.Contracts;

/// <summary>The <c>data</c> of an application error.</summary>
/// <param name="Hint">How to fix it.</param>
/// <param name="Detail">The API server's or credential plugin's message, verbatim.</param>
/// <param name="Choices">When the request named something ambiguous or unknown, the values it may name instead.</param>
public sealed record ErrorData(string? Hint, string? Detail, IReadOnlyList<string>? Choices = null);
