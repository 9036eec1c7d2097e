namespace DevSpaces.Core.Project;

/// <summary><c>run</c> of <c>devspaces.yaml</c>: the process in the container.</summary>
/// <param name="Command">Command and arguments; null: the image's.</param>
/// <param name="WorkingDir">Absolute folder in the container; null: the image's.</param>
/// <param name="BuildStep">What <see cref="UpdateAction.Build"/> rules run before the restart; null when there is none.</param>
/// <param name="Compile">What <see cref="UpdateAction.Compile"/> rules run on this machine; null when there is none.</param>
public sealed record ProjectRun(IReadOnlyList<string>? Command, string? WorkingDir, IReadOnlyList<string>? BuildStep, ProjectCompile? Compile = null)
{
    public static ProjectRun Image { get; } = new(null, null, null);
}

/// <summary>
/// <c>run.compile</c>: a build on this machine whose output replaces the container's copy, so compiled code reaches the
/// running pod without an image build.
/// </summary>
/// <param name="Command">Program and arguments, run in the project's folder.</param>
/// <param name="Output">Absolute local folder the command writes; its files are copied into <c>sync.to</c>.</param>
public sealed record ProjectCompile(IReadOnlyList<string> Command, string Output);
