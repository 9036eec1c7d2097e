using DevSpaces.Core.Project;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DevSpaces.Core.Cluster.Kubeconfig;

/// <summary>
/// Reads one kubeconfig file (kubectl's <c>v1</c> Config) by walking YamlDotNet's node tree: no reflection-based
/// deserializer, whose object graph code the daemon would keep for its whole life. Keys this reader does not use are
/// ignored, as kubectl does; a value of the wrong shape is an error naming the file, line and column.
/// </summary>
public static class KubeconfigReader
{
    private const string Hint = "Fix the file (kubectl config view shows what kubectl makes of it) or point KUBECONFIG at another one.";

    /// <summary>Reads <paramref name="path"/>.</summary>
    /// <exception cref="KubeconfigUnusableException">The file cannot be read or is not a kubeconfig.</exception>
    public static KubeconfigFile ReadFile(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        string text;
        try
        {
            text = File.ReadAllText(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KubeconfigUnusableException($"The kubeconfig {full} cannot be read: {e.Message}", "Check that the file exists and that you may read it, or point KUBECONFIG at another one.", e);
        }

        return Read(full, text);
    }

    /// <summary>Reads the kubeconfig <paramref name="text"/> of the file <paramref name="path"/> (an absolute path: relative paths in it are resolved against its folder).</summary>
    /// <exception cref="KubeconfigUnusableException">The text is not a kubeconfig.</exception>
    public static KubeconfigFile Read(string path, string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new KubeconfigUnusableException($"{new KubeconfigPlace(path, e.Start.Line, e.Start.Column)}: the kubeconfig is {YamlScalars.SyntaxMessage(e)}", Hint, e);
        }

        var reader = new Walker(path);
        if (stream.Documents.Count == 0 || IsNull(stream.Documents[0].RootNode))
        {
            throw new KubeconfigUnusableException($"The kubeconfig {path} is empty.", Hint);
        }

        var root = reader.Mapping(stream.Documents[0].RootNode, "the kubeconfig");
        return new KubeconfigFile(
            path,
            reader.Text(root, "current-context"),
            reader.Entries(root, "contexts", "context", reader.Context),
            reader.Entries(root, "clusters", "cluster", reader.Cluster),
            reader.Entries(root, "users", "user", reader.User));
    }

    private static bool IsNull(YamlNode? node) => node is null || node is YamlScalarNode scalar && YamlScalars.IsNull(scalar);

    /// <summary>The node walk of one file, which knows the file's name and folder for places and relative paths.</summary>
    private sealed class Walker(string path)
    {
        private readonly string folder = System.IO.Path.GetDirectoryName(path) ?? "/";

        public KubeconfigPlace Place(YamlNode node) => new(path, node.Start.Line, node.Start.Column);

        public YamlMappingNode Mapping(YamlNode node, string what) =>
            node as YamlMappingNode ?? throw Wrong(node, $"{what} must be a mapping (key: value lines), not {Shape(node)}");

        public IReadOnlyList<T> Entries<T>(YamlMappingNode root, string key, string itemKey, Func<string, YamlMappingNode?, KubeconfigPlace, T> read)
        {
            var node = Child(root, key);
            if (IsNull(node))
            {
                return [];
            }

            if (node is not YamlSequenceNode list)
            {
                throw Wrong(node!, $"'{key}' must be a list of entries ('- name: ...' with a '{itemKey}:' mapping), not {Shape(node!)}");
            }

            var entries = new List<T>();
            foreach (var item in list.Children)
            {
                var entry = Mapping(item, $"each entry of '{key}'");
                var name = Text(entry, "name") ?? throw Wrong(entry, $"an entry of '{key}' has no name");
                var details = Child(entry, itemKey);
                entries.Add(read(name, IsNull(details) ? null : Mapping(details!, $"'{itemKey}' of '{name}'"), Place(entry)));
            }

            return entries;
        }

        public KubeconfigContext Context(string name, YamlMappingNode? details, KubeconfigPlace place) =>
            details == null
                ? new KubeconfigContext(name, null, null, null, place)
                : new KubeconfigContext(name, Text(details, "cluster"), Text(details, "user"), Text(details, "namespace"), place);

        public KubeconfigCluster Cluster(string name, YamlMappingNode? details, KubeconfigPlace place) =>
            details == null
                ? new KubeconfigCluster(name, null, null, null, false, null, place)
                : new KubeconfigCluster(
                    name,
                    Text(details, "server"),
                    FilePath(details, "certificate-authority"),
                    Text(details, "certificate-authority-data"),
                    Flag(details, "insecure-skip-tls-verify"),
                    Text(details, "tls-server-name"),
                    place);

        public KubeconfigUser User(string name, YamlMappingNode? details, KubeconfigPlace place)
        {
            if (details == null)
            {
                return new KubeconfigUser(name, null, null, null, null, null, null, null, null, null, null, place);
            }

            return new KubeconfigUser(
                name,
                FilePath(details, "client-certificate"),
                Text(details, "client-certificate-data"),
                FilePath(details, "client-key"),
                Text(details, "client-key-data"),
                Text(details, "token"),
                FilePath(details, "tokenFile"),
                Text(details, "username"),
                Text(details, "password"),
                Child(details, "exec") is { } exec && !IsNull(exec) ? Exec(Mapping(exec, $"'exec' of user '{name}'"), name) : null,
                Child(details, "auth-provider") is { } provider && !IsNull(provider) ? AuthProvider(Mapping(provider, $"'auth-provider' of user '{name}'")) : null,
                place);
        }

        private KubeconfigExec Exec(YamlMappingNode exec, string user)
        {
            var command = Text(exec, "command");

            // kubectl runs a command given as a relative path from the kubeconfig's folder; a bare name is looked up on PATH.
            if (command != null && command.Contains('/') && !System.IO.Path.IsPathRooted(command))
            {
                command = System.IO.Path.GetFullPath(System.IO.Path.Combine(folder, command));
            }

            var environment = new List<KeyValuePair<string, string>>();
            foreach (var item in List(exec, "env"))
            {
                var variable = Mapping(item, $"each entry of 'env' of user '{user}'");
                var name = Text(variable, "name") ?? throw Wrong(variable, $"an entry of 'env' of user '{user}' has no name");
                environment.Add(new(name, Text(variable, "value") ?? ""));
            }

            var arguments = List(exec, "args").Select(a => Scalar(a, $"each entry of 'args' of user '{user}'") ?? "").ToList();
            return new KubeconfigExec(command, arguments, environment, Text(exec, "apiVersion"), Text(exec, "installHint"), Place(exec));
        }

        private KubeconfigAuthProvider AuthProvider(YamlMappingNode provider)
        {
            var config = new Dictionary<string, string>();
            if (Child(provider, "config") is { } node && !IsNull(node))
            {
                foreach (var (key, value) in Mapping(node, "'config' of 'auth-provider'").Children)
                {
                    if (Scalar(key, "a key of 'config'") is { } name)
                    {
                        config[name] = Scalar(value, $"'{name}' of 'config'") ?? "";
                    }
                }
            }

            return new KubeconfigAuthProvider(Text(provider, "name") ?? "", config);
        }

        /// <summary>The scalar under <paramref name="key"/>, null when absent or null.</summary>
        public string? Text(YamlMappingNode mapping, string key)
        {
            var node = Child(mapping, key);
            return IsNull(node) ? null : Scalar(node!, $"'{key}'");
        }

        private string? Scalar(YamlNode node, string what) =>
            IsNull(node) ? null : node is YamlScalarNode scalar ? scalar.Value : throw Wrong(node, $"{what} must be a single value, not {Shape(node)}");

        private string? FilePath(YamlMappingNode mapping, string key) =>
            Text(mapping, key) is { Length: > 0 } value ? System.IO.Path.GetFullPath(System.IO.Path.Combine(folder, value)) : null;

        private bool Flag(YamlMappingNode mapping, string key)
        {
            var value = Text(mapping, key);
            return value?.ToLowerInvariant() switch
            {
                null or "false" or "no" or "off" => false,
                "true" or "yes" or "on" => true,
                _ => throw Wrong(Child(mapping, key)!, $"'{key}' must be true or false, not '{value}'"),
            };
        }

        private IEnumerable<YamlNode> List(YamlMappingNode mapping, string key)
        {
            var node = Child(mapping, key);
            return IsNull(node) ? [] : node as YamlSequenceNode ?? throw Wrong(node!, $"'{key}' must be a list ('- ...' lines), not {Shape(node!)}");
        }

        private static YamlNode? Child(YamlMappingNode mapping, string key) =>
            mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

        private KubeconfigUnusableException Wrong(YamlNode node, string problem) => new($"{Place(node)}: {problem}.", Hint);

        private static string Shape(YamlNode node) => node switch
        {
            YamlMappingNode => "a mapping",
            YamlSequenceNode => "a list",
            _ => "a single value", // never shown: a misplaced value may be a secret
        };
    }
}
