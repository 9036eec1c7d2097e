using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using DevSpaces.Contracts;
using DevSpaces.Core.Errors;

namespace DevSpaces.Core.Project;

/// <summary>
/// Finds the project in a service's folder: .NET (<c>*.csproj</c>) first, then Node.js (<c>package.json</c>), then Java
/// (<c>pom.xml</c>, <c>build.gradle</c>, or sources with a <c>main</c> method).
/// </summary>
public static partial class ProjectDetector
{
    // Folders that hold build output or dependencies, never sources of the app.
    private static readonly HashSet<string> SkippedFolders = ["bin", "obj", "out", "target", "build", "node_modules", ".git", ".gradle", ".devspaces", ".vs", ".vscode", ".idea"];

    public static DetectedProject Detect(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new DevSpacesException(RpcErrorCode.ProjectNotDetected, $"The folder {folder} does not exist.", "Give the folder of the service to prepare.");
        }

        var found = new List<DetectedProject>();
        var csprojs = Directory.GetFiles(folder, "*.csproj").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        if (csprojs.Count > 1)
        {
            throw new DevSpacesException(
                RpcErrorCode.ProjectNotDetected,
                $"{folder} holds several .NET projects ({string.Join(", ", csprojs)}).",
                "Run prep in a folder with the one project the service runs.",
                choices: csprojs!);
        }

        if (csprojs.Count == 1)
        {
            found.Add(DotNet(folder, csprojs[0]!));
        }

        if (File.Exists(Path.Combine(folder, "package.json")))
        {
            found.Add(Node(folder));
        }

        if (Java(folder) is { } java)
        {
            found.Add(java);
        }

        if (found.Count == 0)
        {
            throw new DevSpacesException(
                RpcErrorCode.ProjectNotDetected,
                $"No .NET, Node.js or Java project was found in {folder} (looked for *.csproj, package.json, pom.xml, build.gradle and .java files with a main method).",
                "Run prep in the folder of the service's code.");
        }

        var chosen = found[0];
        return found.Count == 1 ? chosen : chosen with
        {
            Notes = [.. chosen.Notes, $"Found {string.Join(" and ", found.Select(f => Describe(f.Runtime)))} files; prepared the {Describe(chosen.Runtime)} project."],
        };
    }

    public static string Describe(ProjectRuntime runtime) => runtime switch
    {
        ProjectRuntime.DotNet => ".NET",
        ProjectRuntime.Node => "Node.js",
        _ => "Java",
    };

    private static DetectedProject DotNet(string folder, string csproj)
    {
        XElement project;
        try
        {
            project = XDocument.Load(Path.Combine(folder, csproj)).Root!;
        }
        catch (Exception e) when (e is System.Xml.XmlException or IOException)
        {
            throw new DevSpacesException(RpcErrorCode.ProjectNotDetected, $"{csproj} cannot be read: {e.Message}", "Fix the project file so that dotnet build reads it.");
        }

        string? Property(string name) => project.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value.Trim();
        var assembly = Property("AssemblyName") is { Length: > 0 } a ? a : Path.GetFileNameWithoutExtension(csproj);
        var framework = (Property("TargetFramework") ?? Property("TargetFrameworks")?.Split(';')[0] ?? "").Trim();
        var version = TargetFramework().Match(framework) is { Success: true } m ? m.Groups["version"].Value : "10.0";
        var restoreFiles = new[] { "global.json", "NuGet.config", "nuget.config", "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" }
            .Where(f => File.Exists(Path.Combine(folder, f)))
            .ToList();
        return new DetectedProject(ProjectRuntime.DotNet, assembly, version)
        {
            ProjectFile = csproj,
            Assembly = assembly + ".dll",
            IsWeb = (project.Attribute("Sdk")?.Value ?? "").Contains("Web", StringComparison.OrdinalIgnoreCase),
            RestoreFiles = restoreFiles,
        };
    }

    private static DetectedProject Node(string folder)
    {
        JsonElement package;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "package.json")));
            package = document.RootElement.Clone();
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            throw new DevSpacesException(RpcErrorCode.ProjectNotDetected, $"package.json cannot be read: {e.Message}", "Fix package.json so that npm reads it.");
        }

        string? Text(JsonElement element, string name) =>
            element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        JsonElement Object(string name) =>
            package.ValueKind == JsonValueKind.Object && package.TryGetProperty(name, out var value) ? value : default;

        var notes = new List<string>();
        IReadOnlyList<string> command;
        if (Text(package, "main") is { } main && File.Exists(Path.Combine(folder, main)))
        {
            command = ["node", main];
        }
        else if (Text(Object("scripts"), "start") != null)
        {
            command = ["npm", "start"];
        }
        else if (new[] { "server.js", "index.js", "app.js", "main.js" }.FirstOrDefault(f => File.Exists(Path.Combine(folder, f))) is { } entry)
        {
            command = ["node", entry];
        }
        else
        {
            throw new DevSpacesException(
                RpcErrorCode.ProjectNotDetected,
                "package.json names no entry point: no existing 'main' file, no 'start' script, and no server.js or index.js.",
                "Add \"main\": \"<file>.js\" or a \"start\" script to package.json.");
        }

        var dependencies = Object("dependencies");
        var hasDependencies = dependencies.ValueKind == JsonValueKind.Object && dependencies.EnumerateObject().Any();
        string? install = null;
        if (File.Exists(Path.Combine(folder, "package-lock.json")))
        {
            install = "npm ci --omit=dev";
        }
        else if (hasDependencies)
        {
            install = "npm install --omit=dev";
            notes.Add("There is no package-lock.json: the image installs dependencies with 'npm install'; commit a lock file for repeatable builds.");
        }

        var engine = Text(Object("engines"), "node");
        var version = engine != null && FirstNumber().Match(engine) is { Success: true } n && int.Parse(n.Value) >= 18 ? n.Value : "20";
        var name = Text(package, "name") is { Length: > 0 } packageName ? packageName.Split('/')[^1] : Path.GetFileName(folder);
        return new DetectedProject(ProjectRuntime.Node, name, version) { Command = command, InstallCommand = install, Notes = notes };
    }

    private static DetectedProject? Java(string folder)
    {
        if (File.Exists(Path.Combine(folder, "pom.xml")))
        {
            var pom = File.ReadAllText(Path.Combine(folder, "pom.xml"));
            var version = MavenJavaVersion().Match(pom) is { Success: true } m ? m.Groups["version"].Value : "17";
            return new DetectedProject(ProjectRuntime.Java, Path.GetFileName(folder), version) { JavaBuild = JavaBuildTool.Maven };
        }

        var gradleFile = new[] { "build.gradle", "build.gradle.kts" }.FirstOrDefault(f => File.Exists(Path.Combine(folder, f)));
        if (gradleFile != null)
        {
            var gradle = File.ReadAllText(Path.Combine(folder, gradleFile));
            var version = GradleJavaVersion().Match(gradle) is { Success: true } m ? m.Groups["version"].Value : "17";
            return new DetectedProject(ProjectRuntime.Java, Path.GetFileName(folder), version) { JavaBuild = JavaBuildTool.Gradle };
        }

        var mains = SourceFiles(folder, "*.java", 0)
            .Select(path => (Path: path, Text: ReadOrEmpty(path)))
            .Where(f => MainMethod().IsMatch(f.Text))
            .Select(f => (f.Path, Class: (PackageLine().Match(f.Text) is { Success: true } p ? p.Groups["name"].Value + "." : "") + Path.GetFileNameWithoutExtension(f.Path)))
            .OrderBy(f => f.Class, StringComparer.Ordinal)
            .ToList();
        if (mains.Count == 0)
        {
            return null;
        }

        var notes = mains.Count > 1
            ? new List<string> { $"Several classes have a main method ({string.Join(", ", mains.Select(m => m.Class))}); the image runs {mains[0].Class}: change it in the Dockerfile if that is wrong." }
            : [];
        var main = Path.GetRelativePath(folder, mains[0].Path).Replace('\\', '/');
        var packageFolders = mains[0].Class.Count(c => c == '.');
        var root = string.Join('/', main.Split('/').SkipLast(packageFolders + 1)) is { Length: > 0 } r ? r : ".";
        return new DetectedProject(ProjectRuntime.Java, mains[0].Class.Split('.')[^1], "17") { JavaBuild = JavaBuildTool.Plain, MainClass = mains[0].Class, MainSource = main, SourceRoot = root, Notes = notes };
    }

    // A service's sources sit a few folders deep (src/main/java/org/example/...); prep in a home folder must not walk the disk.
    private const int MaxSourceDepth = 10;

    private static readonly EnumerationOptions Readable = new() { IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };

    private static IEnumerable<string> SourceFiles(string folder, string pattern, int depth)
    {
        foreach (var file in Directory.EnumerateFiles(folder, pattern, Readable).Order(StringComparer.Ordinal))
        {
            yield return file;
        }

        if (depth >= MaxSourceDepth)
        {
            yield break;
        }

        var subfolders = Directory.EnumerateDirectories(folder, "*", Readable)
            .Where(d => !SkippedFolders.Contains(Path.GetFileName(d)) && !Path.GetFileName(d).StartsWith('.'))
            .Order(StringComparer.Ordinal);
        foreach (var sub in subfolders)
        {
            foreach (var file in SourceFiles(sub, pattern, depth + 1))
            {
                yield return file;
            }
        }
    }

    private static string ReadOrEmpty(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    [GeneratedRegex(@"^net(?:coreapp)?(?<version>\d+\.\d+)")]
    private static partial Regex TargetFramework();

    [GeneratedRegex(@"\d+")]
    private static partial Regex FirstNumber();

    [GeneratedRegex(@"<(?:maven\.compiler\.release|java\.version|maven\.compiler\.source)>\s*(?:1\.)?(?<version>\d+)")]
    private static partial Regex MavenJavaVersion();

    [GeneratedRegex(@"(?:JavaLanguageVersion\.of\(\s*|(?:source|target)Compatibility\s*=\s*(?:JavaVersion\.VERSION_|['""]?)(?:1[._])?)(?<version>\d+)")]
    private static partial Regex GradleJavaVersion();

    [GeneratedRegex(@"\bstatic\s+(?:public\s+)?void\s+main\s*\(\s*(?:final\s+)?String")]
    private static partial Regex MainMethod();

    [GeneratedRegex(@"^\s*package\s+(?<name>[\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex PackageLine();
}
