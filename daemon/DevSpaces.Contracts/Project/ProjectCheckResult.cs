namespace DevSpaces.Contracts;

/// <summary>Answer to <c>project/check</c>: the problems of one <c>devspaces.yaml</c>, in the order of the text.</summary>
/// <param name="Path">Absolute path of the file checked.</param>
/// <param name="Problems">Errors and warnings; empty when the file is fine.</param>
public sealed record ProjectCheckResult(string Path, IReadOnlyList<ProjectProblem> Problems);
