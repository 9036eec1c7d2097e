using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DevSpaces.Core.Project;

/// <summary>What a YAML scalar is under the YAML 1.2 core schema, as JSON-schema-based tooling reads it: a plain <c>8080</c> is a number, a quoted <c>"8080"</c> a string.</summary>
public static partial class YamlScalars
{
    public static bool IsNull(YamlScalarNode scalar) =>
        scalar.Style == ScalarStyle.Plain && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";

    /// <summary>What a plain scalar is when it is not text ("a number", "true or false", "nothing (null)"); null for text.</summary>
    public static string? KindOf(YamlScalarNode scalar) =>
        scalar.Style != ScalarStyle.Plain ? null : IsNull(scalar) ? "nothing (null)" : KindOf(scalar.Value!);

    private static string? KindOf(string text) =>
        text is "true" or "True" or "TRUE" or "false" or "False" or "FALSE" ? "true or false"
        : Number().IsMatch(text) ? "a number"
        : null;

    /// <summary>A YAML syntax error's message without the line and column YamlDotNet puts first (the caller names the place).</summary>
    public static string SyntaxMessage(YamlException e)
    {
        var message = MarkPrefix().Replace(e.Message, "");
        if (e.InnerException is { } inner && message.Length == 0)
        {
            message = inner.Message;
        }

        return $"not valid YAML: {message}";
    }

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\):\s*")]
    private static partial Regex MarkPrefix();

    [GeneratedRegex(@"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")]
    private static partial Regex Number();
}
