namespace DevSpaces.Tests.Support;

/// <summary>An error answer of the daemon.</summary>
public sealed record RpcError(int Code, string Message, string? Hint, string? Detail);
