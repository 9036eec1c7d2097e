namespace DevSpaces.Core.Project;

/// <summary><c>run</c> of <c>devspaces.yaml</c>: the process in the container.</summary>
/// <param name="Command">Command and arguments; null: the image's.</param>
/// <param name="WorkingDir">Absolute folder in the container; null: the image's.</param>
/// <param name="BuildStep">What <see cref="UpdateAction.Build"/> rules run before the restart; null when there is none.</param>
public sealed record ProjectRun(IReadOnlyList<string>? Command, string? WorkingDir, IReadOnlyList<string>? BuildStep)
{
    public static ProjectRun Image { get; } = new(null, null, null);
}
