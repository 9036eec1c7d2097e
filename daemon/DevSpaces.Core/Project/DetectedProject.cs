namespace DevSpaces.Core.Project;

/// <summary>What <see cref="ProjectDetector"/> found in a folder: enough to write a Dockerfile, manifests and <c>devspaces.yaml</c>.</summary>
/// <param name="Runtime">The kind of project.</param>
/// <param name="Name">The project's own name (assembly, package or main class), from which the service name is derived.</param>
/// <param name="RuntimeVersion">Major version of the runtime (<c>10.0</c>, <c>20</c>, <c>17</c>).</param>
public sealed record DetectedProject(ProjectRuntime Runtime, string Name, string RuntimeVersion)
{
    /// <summary>.NET: the project file, relative to the folder.</summary>
    public string? ProjectFile { get; init; }

    /// <summary>.NET: the assembly the image runs (<c>Name.dll</c>).</summary>
    public string? Assembly { get; init; }

    /// <summary>.NET: an ASP.NET Core project (<c>Microsoft.NET.Sdk.Web</c>).</summary>
    public bool IsWeb { get; init; }

    /// <summary>.NET: files next to the project that restore needs (<c>Directory.Build.props</c>, <c>NuGet.config</c>, …).</summary>
    public IReadOnlyList<string> RestoreFiles { get; init; } = [];

    /// <summary>Node.js: the command that starts the app.</summary>
    public IReadOnlyList<string>? Command { get; init; }

    /// <summary>Node.js: the dependency install step, or null when there is nothing to install.</summary>
    public string? InstallCommand { get; init; }

    /// <summary>Java: how it is compiled.</summary>
    public JavaBuildTool JavaBuild { get; init; }

    /// <summary>Java without a build tool: the fully qualified main class.</summary>
    public string? MainClass { get; init; }

    /// <summary>Java without a build tool: the main class's source file, relative to the folder (forward slashes).</summary>
    public string? MainSource { get; init; }

    /// <summary>Java without a build tool: the folder its packages start in, relative to the folder (<c>.</c> for the folder itself).</summary>
    public string? SourceRoot { get; init; }

    /// <summary>What the user should know about the choices made.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
