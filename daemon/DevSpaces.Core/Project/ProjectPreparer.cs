using System.Text;
using System.Text.RegularExpressions;
using DevSpaces.Contracts;
using DevSpaces.Core.Errors;
using DevSpaces.Core.Spaces;

namespace DevSpaces.Core.Project;

/// <summary>
/// <c>devspaces prep</c>: writes a Dockerfile, a <c>.dockerignore</c>, manifests and <c>devspaces.yaml</c> for the project
/// in a folder. A file that exists is kept and reported as skipped; what is written agrees with what is kept (the build
/// args an existing Dockerfile declares, the port it exposes).
/// </summary>
public static partial class ProjectPreparer
{
    // Folder names that say nothing about the service; the project's own name is used instead.
    private static readonly HashSet<string> GenericFolders = ["src", "source", "app", "code", "web", "service", "server"];

    public static ProjectPrepResult Prepare(string folder, string? service = null)
    {
        folder = Path.GetFullPath(folder);
        var project = ProjectDetector.Detect(folder);
        service = service != null ? SpaceName.Validate(service, "Service name") : ServiceName(folder, project);

        var written = new List<string>();
        var skipped = new List<string>();
        var notes = new List<string>(project.Notes);

        var dockerfile = Path.Combine(folder, "Dockerfile");
        var dockerfileKept = File.Exists(dockerfile);
        var args = ProjectTemplates.BaseImages(project);
        var port = ProjectTemplates.Port;
        if (dockerfileKept)
        {
            var existing = File.ReadAllText(dockerfile);
            var declared = ArgLine().Matches(existing).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);
            args = args.Where(a => declared.Contains(a.Name)).ToList();
            if (ExposeLine().Match(existing) is { Success: true } expose)
            {
                port = int.Parse(expose.Groups["port"].Value);
            }

            notes.Add("The existing Dockerfile is kept: check that the app listens on port " + port + " (PORT is set to it) and that devspaces.yaml's build.args are the ARGs it declares.");
        }

        void Write(string relative, Func<string> content)
        {
            var path = Path.Combine(folder, relative);
            if (File.Exists(path))
            {
                skipped.Add(relative);
                return;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
            using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
            {
                writer.Write(content());
            }

            written.Add(relative);
        }

        Write("Dockerfile", () => ProjectTemplates.Dockerfile(project));
        Write(".dockerignore", () => ProjectTemplates.DockerIgnore(project));
        Write(ProjectTemplates.ManifestPath(service), () => ProjectTemplates.Manifests(service, port));
        Write(ProjectFile.FileName, () => ProjectTemplates.DevSpacesYaml(project, service, port, args));

        var local = args.Where(a => a.Local != null).Select(a => $"{a.Name}={a.Local}").ToList();
        if (local.Count > 0 && written.Contains(ProjectFile.FileName))
        {
            notes.Add($"On the bundled local cluster (no registry), set build.args in devspaces.yaml to {string.Join(", ", local)}.");
        }

        // What prep writes must pass the check the daemon applies to every devspaces.yaml.
        var check = ProjectFileReader.Read(Path.Combine(folder, ProjectFile.FileName));
        notes.AddRange(check.Lines(ProjectFile.FileName));
        return new ProjectPrepResult(folder, RuntimeName(project.Runtime), service, written, skipped, notes);
    }

    /// <summary>The wire name of a runtime: <c>dotnet</c>, <c>node</c> or <c>java</c>.</summary>
    public static string RuntimeName(ProjectRuntime runtime) => runtime switch
    {
        ProjectRuntime.DotNet => "dotnet",
        ProjectRuntime.Node => "node",
        _ => "java",
    };

    /// <summary>The folder's name as a DNS-1123 label, or the project's when the folder's is generic or unusable.</summary>
    public static string ServiceName(string folder, DetectedProject project)
    {
        var fromFolder = ToLabel(Path.GetFileName(folder.TrimEnd(Path.DirectorySeparatorChar)));
        if (fromFolder.Length > 0 && !GenericFolders.Contains(fromFolder))
        {
            return fromFolder;
        }

        var fromProject = ToLabel(project.Name);
        return fromProject.Length > 0 ? fromProject : "app";
    }

    private static string ToLabel(string name)
    {
        var label = NotInLabel().Replace(name.ToLowerInvariant(), "-").Trim('-');
        label = label.Length > SpaceName.MaxLength ? label[..SpaceName.MaxLength].TrimEnd('-') : label;
        return label;
    }

    [GeneratedRegex(@"[^a-z0-9]+")]
    private static partial Regex NotInLabel();

    [GeneratedRegex(@"^\s*ARG\s+(?<name>[A-Za-z_][A-Za-z0-9_]*)", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex ArgLine();

    [GeneratedRegex(@"^\s*EXPOSE\s+(?<port>\d{1,5})\b", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex ExposeLine();
}
