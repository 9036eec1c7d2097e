using DevSpaces.Contracts;
using DevSpaces.Core.Project;

namespace DevSpaces.Cli.Commands;

/// <summary><c>devspaces project check</c> and <c>devspaces prep</c>.</summary>
/// <param name="currentDirectory">What relative paths are relative to, and where <c>prep</c> works by default.</param>
/// <param name="workspaceFolder">Where <c>project check</c> looks when the current folder has no <c>devspaces.yaml</c>.</param>
public sealed class ProjectCommand(CliOutput output, IProjectRpc projects, string currentDirectory, string? workspaceFolder)
{
    /// <summary>Prints each problem as <c>file:line:col: severity: message</c>; exit code 1 when one is an error.</summary>
    public async Task<int> CheckAsync(CliArguments cli, CancellationToken cancellationToken)
    {
        var file = cli.Get("--file");
        cli.RejectUnknownOptions();
        var path = file != null
            ? Path.GetFullPath(file, currentDirectory)
            : new[] { currentDirectory, workspaceFolder ?? currentDirectory }
                .Select(d => Path.Combine(d, ProjectFile.FileName))
                .FirstOrDefault(File.Exists) ?? Path.Combine(currentDirectory, ProjectFile.FileName);
        var result = await projects.CheckProjectAsync(path, null, cancellationToken);
        output.Print(result, (o, r) =>
        {
            var shown = Path.GetRelativePath(currentDirectory, r.Path);
            shown = shown.StartsWith("..", StringComparison.Ordinal) ? r.Path : shown;
            foreach (var line in new ProjectFileReading(r.Path, null, r.Problems).Lines(shown))
            {
                o.WriteLine(line);
            }

            if (r.Problems.Count == 0)
            {
                o.WriteLine($"{shown}: no problems");
            }
        });
        return result.Problems.Any(p => p.Severity == ProjectFileReading.Error) ? 1 : 0;
    }

    /// <summary><c>prep [folder]</c>: writes what is missing and says what was written and what was kept.</summary>
    public async Task<int> PrepareAsync(CliArguments cli, CancellationToken cancellationToken)
    {
        if (cli.Positional.Count > 2)
        {
            throw new UsageException("prep takes one folder, e.g. devspaces prep services/api");
        }

        var folder = Path.GetFullPath(cli.Positional.Count == 2 ? cli.Positional[1] : ".", currentDirectory);
        var service = cli.Get("--service");
        cli.RejectUnknownOptions();
        var result = await projects.PrepareProjectAsync(folder, service, cancellationToken);
        return output.Print(result, (o, r) =>
        {
            o.WriteLine($"Prepared {r.Folder} as the {r.Runtime} service '{r.Service}'.");
            foreach (var written in r.Written)
            {
                o.WriteLine($"  wrote   {written}");
            }

            foreach (var skipped in r.Skipped)
            {
                o.WriteLine($"  kept    {skipped} (it exists)");
            }

            foreach (var note in r.Notes)
            {
                o.WriteLine($"Note: {note}");
            }
        });
    }
}
