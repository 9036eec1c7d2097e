namespace DevSpaces.Contracts;

/// <summary>Answer to <c>routing/traces</c>: the traces found and the sequence to ask after next.</summary>
public sealed record TraceBatch(IReadOnlyList<HttpTrace> Traces, long Next);
