using DevSpaces.Contracts;

namespace DevSpaces.Core.Project;

/// <summary>What reading a <c>devspaces.yaml</c> gave: the file when it has no error, and every problem in text order.</summary>
/// <param name="Path">Absolute path of the file.</param>
/// <param name="File">The file; null when some problem is an error.</param>
/// <param name="Problems">Errors and warnings with their ranges.</param>
public sealed record ProjectFileReading(string Path, ProjectFile? File, IReadOnlyList<ProjectProblem> Problems)
{
    public const string Error = "error";
    public const string Warning = "warning";

    /// <summary>Problems as compilers print them: <c>file:line:col: severity: message</c>.</summary>
    public IEnumerable<string> Lines(string shownPath) =>
        Problems.Select(p => $"{shownPath}:{p.Line}:{p.Column}: {p.Severity}: {p.Message}");
}
