namespace DevSpaces.Core.Project;

/// <summary><c>forward</c> of <c>devspaces.yaml</c>.</summary>
/// <param name="Port">Container port.</param>
/// <param name="LocalPort">Local port; null: a free one.</param>
public sealed record ProjectForward(int Port, int? LocalPort);
