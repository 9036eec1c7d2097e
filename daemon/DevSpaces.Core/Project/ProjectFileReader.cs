using System.Globalization;
using System.Text.RegularExpressions;
using DevSpaces.Contracts;
using DevSpaces.Core.Spaces;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DevSpaces.Core.Project;

/// <summary>
/// Reads and checks a <c>devspaces.yaml</c> (its shape is <c>schemas/devspaces.schema.json</c>): unknown keys, wrong
/// types, bad globs and missing files are each reported with their line and column, and the file is usable only when
/// no problem is an error.
/// </summary>
public sealed partial class ProjectFileReader
{
    /// <summary>The keys of each object, by the schema's name for it ("" is the file itself); a test keeps them equal to the schema.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Keys { get; } = new Dictionary<string, IReadOnlyList<string>>
    {
        [""] = ["version", "service", "build", "deploy", "run", "sync", "updates", "forward"],
        ["build"] = ["context", "dockerfile", "args", "image"],
        ["deploy"] = ["manifests", "container"],
        ["run"] = ["command", "workingDir", "build", "compile"],
        ["compile"] = ["command", "output"],
        ["sync"] = ["to", "files", "ignoreFiles"],
        ["update"] = ["files", "action"],
        ["forward"] = ["port", "localPort"],
    };

    private readonly List<ProjectProblem> _problems = [];
    private readonly string _folder;

    private ProjectFileReader(string folder) => _folder = folder;

    /// <summary>Reads the file at <paramref name="path"/>, or <paramref name="text"/> as its content (an editor's unsaved text).</summary>
    public static ProjectFileReading Read(string path, string? text = null)
    {
        path = Path.GetFullPath(path);
        var reader = new ProjectFileReader(Path.GetDirectoryName(path)!);
        if (text == null)
        {
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                reader.Error(1, 1, 1, 1, $"cannot read {path}: {e.Message}");
                return new ProjectFileReading(path, null, reader._problems);
            }
        }

        var file = reader.Parse(path, text);
        var problems = reader._problems.OrderBy(p => p.Line).ThenBy(p => p.Column).ToList();
        return new ProjectFileReading(path, problems.Any(p => p.Severity == ProjectFileReading.Error) ? null : file, problems);
    }

    private ProjectFile? Parse(string path, string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            Error(e.Start, e.End, YamlScalars.SyntaxMessage(e));
            return null;
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { } empty && YamlScalars.IsNull(empty))
        {
            Error(1, 1, 1, 1, "the file is empty: it needs at least 'version: 1', 'service: <name>' and 'deploy: { manifests: [...] }'");
            return null;
        }

        if (stream.Documents.Count > 1)
        {
            var second = stream.Documents[1].RootNode;
            Error(second.Start, second.End, "devspaces.yaml holds one document: remove the second ('---') or put it in the manifests");
        }

        var root = stream.Documents[0].RootNode;
        var fields = Fields(root, "", "the file");
        if (fields == null)
        {
            return null;
        }

        if (Required(fields, "version", root, "the file") is { } versionNode)
        {
            if (Integer(versionNode, "version", 1, int.MaxValue) is { } version && version != 1)
            {
                Error(versionNode, $"version {version} is not known to this DevSpaces; it reads version 1");
            }
        }

        string? service = null;
        if (Required(fields, "service", root, "the file") is { } serviceNode && String(serviceNode, "service") is { } name)
        {
            if (SpaceName.Problem(name) is { } problem)
            {
                Error(serviceNode, $"service '{name}' is not a valid name: {problem}; use at most 63 lowercase letters, digits and '-' (a DNS-1123 label)");
            }

            service = name;
        }

        var build = ReadBuild(fields.GetValueOrDefault("build"), root, service);
        var deploy = Required(fields, "deploy", root, "the file") is { } deployNode ? ReadDeploy(deployNode) : null;
        var run = fields.TryGetValue("run", out var runNode) ? ReadRun(runNode) : ProjectRun.Image;
        var sync = fields.TryGetValue("sync", out var syncNode) ? ReadSync(syncNode) : null;
        var updates = fields.TryGetValue("updates", out var updatesNode) ? ReadUpdates(updatesNode, run) : [];
        var forward = fields.TryGetValue("forward", out var forwardNode) ? ReadForward(forwardNode) : null;
        if (run?.Compile != null && !fields.ContainsKey("sync") && runNode is YamlMappingNode runFields && runFields.Children.TryGetValue(new YamlScalarNode("compile"), out var compileNode))
        {
            Error(compileNode, "run.compile copies its output into sync.to, but there is no sync section; add 'sync: { to: <the app's folder in the container>, files: [...] }'");
        }

        return service == null || build == null || deploy == null || run == null
            ? null
            : new ProjectFile(path, service, build, deploy, run, sync, updates, forward);
    }

    private ProjectBuild? ReadBuild(YamlNode? node, YamlNode root, string? service)
    {
        var fields = node == null ? new Dictionary<string, YamlNode>() : Fields(node, "build", "build");
        if (fields == null)
        {
            return null;
        }

        var context = _folder;
        if (fields.TryGetValue("context", out var contextNode) && String(contextNode, "build.context") is { } contextText)
        {
            context = Path.GetFullPath(contextText, _folder);
            if (!Directory.Exists(context))
            {
                Error(contextNode, $"build.context '{contextText}' is not a folder ({context}); give the build context relative to this file");
            }
        }

        var dockerfileText = fields.TryGetValue("dockerfile", out var dockerfileNode) ? String(dockerfileNode, "build.dockerfile") : "Dockerfile";
        var dockerfile = Path.GetFullPath(dockerfileText ?? "Dockerfile", _folder);
        if (dockerfileText != null && !File.Exists(dockerfile))
        {
            if (dockerfileNode != null)
            {
                Error(dockerfileNode, $"build.dockerfile '{dockerfileText}' does not exist ({dockerfile}); give its path relative to this file");
            }
            else
            {
                ErrorAtStart(node ?? root, $"there is no Dockerfile next to this file ({dockerfile}); add one (devspaces prep writes one) or name it with build.dockerfile");
            }
        }

        var args = new Dictionary<string, string>(StringComparer.Ordinal);
        if (fields.TryGetValue("args", out var argsNode) && Fields(argsNode, null, "build.args") is { } argFields)
        {
            foreach (var (argName, value) in argFields)
            {
                if (String(value, $"build.args.{argName}") is { } argValue)
                {
                    args[argName] = argValue;
                }
            }
        }

        var image = service ?? "";
        if (fields.TryGetValue("image", out var imageNode) && String(imageNode, "build.image") is { } imageText)
        {
            if (!ImageRepository().IsMatch(imageText))
            {
                Error(imageNode, $"build.image '{imageText}' is not an image repository: use lowercase letters, digits, '.', '_', '-' and '/', without a tag (e.g. 'myteam/api')");
            }

            image = imageText;
        }

        return new ProjectBuild(context, dockerfile, args, image);
    }

    private ProjectDeploy? ReadDeploy(YamlNode node)
    {
        var fields = Fields(node, "deploy", "deploy");
        if (fields == null)
        {
            return null;
        }

        var manifests = new List<string>();
        if (Required(fields, "manifests", node, "deploy") is { } manifestsNode && StringList(manifestsNode, "deploy.manifests", 1) is { } items)
        {
            foreach (var (text, itemNode) in items)
            {
                var full = Path.GetFullPath(text, _folder);
                if (!File.Exists(full))
                {
                    Error(itemNode, Directory.Exists(full)
                        ? $"manifest '{text}' is a folder; list its files one by one"
                        : $"manifest '{text}' does not exist ({full}); give its path relative to this file");
                }

                manifests.Add(full);
            }
        }

        string? container = null;
        if (fields.TryGetValue("container", out var containerNode) && String(containerNode, "deploy.container") is { } containerName)
        {
            if (SpaceName.Problem(containerName) is { } problem)
            {
                Error(containerNode, $"deploy.container '{containerName}' is not a container name: {problem}");
            }

            container = containerName;
        }

        return new ProjectDeploy(manifests, container);
    }

    private ProjectRun? ReadRun(YamlNode node)
    {
        var fields = Fields(node, "run", "run");
        if (fields == null)
        {
            return null;
        }

        var command = fields.TryGetValue("command", out var commandNode) ? StringList(commandNode, "run.command", 1)?.Select(i => i.Text).ToList() : null;
        var workingDir = fields.TryGetValue("workingDir", out var dirNode) ? AbsoluteContainerPath(dirNode, "run.workingDir") : null;
        var buildStep = fields.TryGetValue("build", out var buildNode) ? StringList(buildNode, "run.build", 1)?.Select(i => i.Text).ToList() : null;
        var compile = fields.TryGetValue("compile", out var compileNode) ? ReadCompile(compileNode) : null;
        return new ProjectRun(command, workingDir, buildStep, compile);
    }

    private ProjectCompile? ReadCompile(YamlNode node)
    {
        var fields = Fields(node, "compile", "run.compile");
        if (fields == null)
        {
            return null;
        }

        var command = Required(fields, "command", node, "run.compile") is { } commandNode ? StringList(commandNode, "run.compile.command", 1)?.Select(i => i.Text).ToList() : null;
        string? output = null;
        if (Required(fields, "output", node, "run.compile") is { } outputNode && String(outputNode, "run.compile.output") is { } outputText)
        {
            var full = Path.GetFullPath(outputText, _folder);
            var relative = Path.GetRelativePath(_folder, full);
            if (Path.IsPathRooted(outputText) || relative == "." || relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                Error(outputNode, $"run.compile.output '{outputText}' must be a folder inside this file's folder, relative to it (e.g. '.devspaces/build')");
            }
            else
            {
                output = full;
            }
        }

        return command == null || output == null ? null : new ProjectCompile(command, output);
    }

    private ProjectSync? ReadSync(YamlNode node)
    {
        var fields = Fields(node, "sync", "sync");
        if (fields == null)
        {
            return null;
        }

        var to = Required(fields, "to", node, "sync") is { } toNode ? AbsoluteContainerPath(toNode, "sync.to") : null;
        var files = fields.TryGetValue("files", out var filesNode) ? Globs(filesNode, "sync.files") : GlobList.Everything;
        IReadOnlyList<string> ignoreFiles = ProjectSync.DefaultIgnoreFiles;
        if (fields.TryGetValue("ignoreFiles", out var ignoreNode) && StringList(ignoreNode, "sync.ignoreFiles", 0) is { } ignoreItems)
        {
            foreach (var (text, itemNode) in ignoreItems)
            {
                if (!File.Exists(Path.GetFullPath(text, _folder)))
                {
                    Warning(itemNode, $"ignore file '{text}' does not exist; nothing is ignored because of it");
                }
            }

            ignoreFiles = ignoreItems.Select(i => i.Text).ToList();
        }

        return to == null || files == null ? null : new ProjectSync(to, files, ignoreFiles);
    }

    private List<UpdateRule> ReadUpdates(YamlNode node, ProjectRun? run)
    {
        var rules = new List<UpdateRule>();
        if (node is not YamlSequenceNode sequence)
        {
            Error(node, $"updates must be a list of rules ('- files: [...]' and 'action: ...'), not {Describe(node)}");
            return rules;
        }

        foreach (var item in sequence.Children)
        {
            var fields = Fields(item, "update", "an update rule");
            if (fields == null)
            {
                continue;
            }

            var files = Required(fields, "files", item, "an update rule") is { } filesNode ? Globs(filesNode, "updates[].files") : null;
            UpdateAction? action = null;
            if (Required(fields, "action", item, "an update rule") is { } actionNode && String(actionNode, "updates[].action") is { } actionText)
            {
                action = Enum.GetValues<UpdateAction>().Cast<UpdateAction?>().FirstOrDefault(a => ActionName(a!.Value) == actionText);
                if (action == null)
                {
                    Error(actionNode, $"action '{actionText}' is unknown; use one of {string.Join(", ", Enum.GetValues<UpdateAction>().Select(ActionName))}");
                }
                else if (action == UpdateAction.Build && run is { BuildStep: null })
                {
                    Error(actionNode, "action 'build' runs the build step, but run.build is not set; add 'run: { build: [...] }' or use 'restart' or 'rebuild'");
                }
                else if (action == UpdateAction.Compile && run is { Compile: null })
                {
                    Error(actionNode, "action 'compile' runs run.compile on this machine, but it is not set; add 'run: { compile: { command: [...], output: ... } }' or use 'rebuild'");
                }
            }

            if (files != null && action != null)
            {
                rules.Add(new UpdateRule(files, action.Value));
            }
        }

        return rules;
    }

    private ProjectForward? ReadForward(YamlNode node)
    {
        var fields = Fields(node, "forward", "forward");
        if (fields == null)
        {
            return null;
        }

        var port = Required(fields, "port", node, "forward") is { } portNode ? Integer(portNode, "forward.port", 1, 65535) : null;
        var localPort = fields.TryGetValue("localPort", out var localNode) ? Integer(localNode, "forward.localPort", 1, 65535) : null;
        return port == null ? null : new ProjectForward(port.Value, localPort);
    }

    /// <summary>The name of an action in <c>devspaces.yaml</c>.</summary>
    public static string ActionName(UpdateAction action) => action.ToString().ToLowerInvariant();

    // --- shapes -------------------------------------------------------------------------------------

    /// <summary>The entries of a mapping; with <paramref name="shape"/>, unknown keys are reported (null: any key).</summary>
    private Dictionary<string, YamlNode>? Fields(YamlNode node, string? shape, string what)
    {
        if (node is not YamlMappingNode mapping)
        {
            Error(node, $"{what} must be a mapping of keys to values, not {Describe(node)}");
            return null;
        }

        var fields = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
            {
                Error(keyNode, $"keys of {what} must be plain names");
                continue;
            }

            if (shape != null && !Keys[shape].Contains(key))
            {
                Error(keyNode, UnknownKey(key, what, Keys[shape]));
                continue;
            }

            fields[key] = value;
        }

        return fields;
    }

    private YamlNode? Required(Dictionary<string, YamlNode> fields, string key, YamlNode owner, string what)
    {
        if (fields.TryGetValue(key, out var node))
        {
            return node;
        }

        ErrorAtStart(owner, $"{what} needs '{key}'");
        return null;
    }

    private string? String(YamlNode node, string what)
    {
        if (node is not YamlScalarNode scalar || YamlScalars.KindOf(scalar) != null)
        {
            Error(node, node is YamlScalarNode s
                ? $"{what} must be text, not {YamlScalars.KindOf(s)}; put it in quotes: \"{s.Value}\""
                : $"{what} must be text, not {Describe(node)}");
            return null;
        }

        if (scalar.Value!.Length == 0)
        {
            Error(node, $"{what} is empty");
            return null;
        }

        return scalar.Value;
    }

    private List<(string Text, YamlNode Node)>? StringList(YamlNode node, string what, int minItems)
    {
        if (node is not YamlSequenceNode sequence)
        {
            Error(node, $"{what} must be a list ([a, b] or one '- item' per line), not {Describe(node)}");
            return null;
        }

        if (sequence.Children.Count < minItems)
        {
            Error(node, $"{what} is an empty list; give at least one item or remove it");
            return null;
        }

        var items = new List<(string, YamlNode)>();
        foreach (var item in sequence.Children)
        {
            if (String(item, $"an item of {what}") is { } text)
            {
                items.Add((text, item));
            }
        }

        return items.Count == sequence.Children.Count ? items : null;
    }

    private GlobList? Globs(YamlNode node, string what)
    {
        var items = StringList(node, what, 0);
        if (items == null)
        {
            return null;
        }

        var valid = true;
        foreach (var (text, itemNode) in items)
        {
            if (GlobList.Problem(text) is { } problem)
            {
                Error(itemNode, $"glob '{text}': {problem}");
                valid = false;
            }
        }

        return valid ? new GlobList(items.Select(i => i.Text).ToList()) : null;
    }

    private int? Integer(YamlNode node, string what, int min, int max)
    {
        if (node is not YamlScalarNode { Style: ScalarStyle.Plain } scalar
            || !int.TryParse(scalar.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            Error(node, $"{what} must be a whole number (without quotes), not {(node is YamlScalarNode s ? $"'{s.Value}'" : Describe(node))}");
            return null;
        }

        if (value < min || value > max)
        {
            Error(node, max == int.MaxValue ? $"{what} must be at least {min}" : $"{what} must be between {min} and {max}, not {value}");
            return null;
        }

        return value;
    }

    private string? AbsoluteContainerPath(YamlNode node, string what)
    {
        var text = String(node, what);
        if (text != null && !text.StartsWith('/'))
        {
            Error(node, $"{what} '{text}' must be an absolute path in the container, e.g. '/app'");
            return null;
        }

        return text;
    }

    // --- problems -----------------------------------------------------------------------------------

    private void Error(YamlNode node, string message) => Error(node.Start, node.End, message);

    /// <summary>For what is missing from a whole mapping: marked where the mapping starts, not across all its lines.</summary>
    private void ErrorAtStart(YamlNode node, string message) => Error(node.Start, node.Start, message);

    private void Error(Mark start, Mark end, string message) =>
        Error((int)start.Line, (int)start.Column, (int)end.Line, (int)end.Column, message);

    private void Error(int line, int column, int endLine, int endColumn, string message) =>
        Add(ProjectFileReading.Error, line, column, endLine, endColumn, message);

    private void Warning(YamlNode node, string message) =>
        Add(ProjectFileReading.Warning, (int)node.Start.Line, (int)node.Start.Column, (int)node.End.Line, (int)node.End.Column, message);

    private void Add(string severity, int line, int column, int endLine, int endColumn, string message)
    {
        // A node ending at the start of the next line is shown up to the end of its own.
        if (endLine < line || endLine == line && endColumn <= column)
        {
            (endLine, endColumn) = (line, column + 1);
        }

        _problems.Add(new ProjectProblem(severity, message, Math.Max(line, 1), Math.Max(column, 1), endLine, endColumn));
    }

    private static string UnknownKey(string key, string what, IReadOnlyList<string> known)
    {
        var close = known.FirstOrDefault(k => Distance(k.ToLowerInvariant(), key.ToLowerInvariant()) <= Math.Max(1, k.Length / 4));
        return close != null
            ? $"unknown key '{key}' in {what}; did you mean '{close}'?"
            : $"unknown key '{key}' in {what}; known keys: {string.Join(", ", known)}";
    }

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }

    private static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode scalar when YamlScalars.KindOf(scalar) is { } kind => kind,
        YamlScalarNode scalar => $"the text '{scalar.Value}'",
        _ => "an alias",
    };

    [GeneratedRegex(@"^(?:[a-z0-9.-]+(?::[0-9]+)?/)?[a-z0-9]+(?:[._-]+[a-z0-9]+)*(?:/[a-z0-9]+(?:[._-]+[a-z0-9]+)*)*$")]
    private static partial Regex ImageRepository();
}
