using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace DevSpaces.ClusterTests.Previews;

/// <summary>One job of a GitHub workflow file as the runner reads it: its env and its steps' run, env, if and working directory.</summary>
public sealed partial class WorkflowJob
{
    private WorkflowJob(IReadOnlyDictionary<string, string> env, IReadOnlyList<WorkflowStep> steps)
    {
        Env = env;
        Steps = steps;
    }

    public IReadOnlyDictionary<string, string> Env { get; }

    public IReadOnlyList<WorkflowStep> Steps { get; }

    public WorkflowStep Step(string id) => Steps.SingleOrDefault(s => s.Id == id) ?? throw new AssertionException($"the workflow has no step with id '{id}'");

    public static WorkflowJob Read(string path, string job)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            yaml.Load(reader);
        }

        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var node = (YamlMappingNode)((YamlMappingNode)root["jobs"])[job];
        var steps = ((YamlSequenceNode)node["steps"]).Children.Cast<YamlMappingNode>().Select(step => new WorkflowStep(
            Scalar(step, "id"),
            Scalar(step, "if"),
            Scalar(step, "run"),
            Scalar(step, "working-directory"),
            Map(step, "env"))).ToList();
        return new WorkflowJob(Map(node, "env"), steps);
    }

    /// <summary>
    /// Replaces every <c>${{ expression }}</c> with its value from <paramref name="expressions"/>; an expression the
    /// test does not give fails it, so the workflow cannot pass its steps something the test never tried.
    /// </summary>
    public static string Evaluate(string value, IReadOnlyDictionary<string, string> expressions) =>
        Expression().Replace(value, m => expressions.TryGetValue(m.Groups[1].Value, out var known)
            ? known
            : throw new AssertionException($"the workflow passes '{m.Groups[1].Value}', which this test does not give"));

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlScalarNode)value).Value : null;

    private static IReadOnlyDictionary<string, string> Map(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value)
            ? ((YamlMappingNode)value).Children.ToDictionary(p => ((YamlScalarNode)p.Key).Value!, p => ((YamlScalarNode)p.Value).Value ?? "")
            : new Dictionary<string, string>();

    [GeneratedRegex(@"\$\{\{\s*(.+?)\s*\}\}")]
    private static partial Regex Expression();
}

/// <summary>A step of a workflow job.</summary>
public sealed record WorkflowStep(string? Id, string? Condition, string? Run, string? WorkingDirectory, IReadOnlyDictionary<string, string> Env);
