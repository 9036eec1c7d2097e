using System.Text.Json.Nodes;

namespace DevSpaces.Tests.Contract;

/// <summary>Reads <c>schemas/rpc.json</c> from the repository and renders its type shapes canonically.</summary>
public sealed class RpcSchema
{
    private RpcSchema(JsonObject root) => Root = root;

    public JsonObject Root { get; }

    public JsonObject Methods => Root["methods"]!.AsObject();

    public JsonObject Notifications => Root["notifications"]!.AsObject();

    public JsonObject ErrorCodes => Root["errors"]!["codes"]!.AsObject();

    public JsonObject Definitions => Root["$defs"]!.AsObject();

    public static string FindRepositoryFile(string relativePath)
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir != null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relativePath);
            if (File.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "DevSpaces.sln")))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"{relativePath} not found above {TestContext.CurrentContext.TestDirectory}");
    }

    public static RpcSchema Load() =>
        new(JsonNode.Parse(File.ReadAllText(FindRepositoryFile("schemas/rpc.json")))!.AsObject());

    /// <summary>Arguments for the required parameters of a method's schema entry, each a harmless value of its shape.</summary>
    public static Dictionary<string, object?> RequiredArguments(JsonNode method)
    {
        var args = new Dictionary<string, object?>();
        foreach (var required in method["params"]!["required"]!.AsArray())
        {
            var name = required!.GetValue<string>();
            var shape = ShapeOf(method["params"]!["properties"]![name]!);
            args[name] = shape.StartsWith("boolean", StringComparison.Ordinal) ? false
                : shape.StartsWith("integer", StringComparison.Ordinal) ? 1
                : shape.StartsWith("array", StringComparison.Ordinal) ? Array.Empty<object>()
                : shape.StartsWith("#/", StringComparison.Ordinal) ? new Dictionary<string, object?>()
                : "dev";
        }

        return args;
    }

    /// <summary>Canonical shape of a schema node: "string", "integer|null", "#/$defs/X", "array&lt;string&gt;".</summary>
    public static string ShapeOf(JsonNode node)
    {
        var obj = node.AsObject();
        if (obj["$ref"] is { } reference)
        {
            return reference.GetValue<string>();
        }

        if (obj["oneOf"] is JsonArray oneOf)
        {
            return string.Join("|", oneOf.Select(n => ShapeOf(n!)));
        }

        var type = obj["type"]!;
        if (type is JsonArray types)
        {
            return string.Join("|", types.Select(t => t!.GetValue<string>()));
        }

        var name = type.GetValue<string>();
        return name == "array" ? $"array<{ShapeOf(obj["items"]!)}>" : name;
    }
}
