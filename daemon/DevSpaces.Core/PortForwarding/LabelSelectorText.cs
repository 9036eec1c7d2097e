using k8s.Models;

namespace DevSpaces.Core.PortForwarding;

/// <summary>Writes label selectors in the API's query syntax.</summary>
public static class LabelSelectorText
{
    public static string From(IDictionary<string, string> matchLabels) =>
        string.Join(",", matchLabels.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));

    public static string From(V1LabelSelector selector)
    {
        var parts = new List<string>();
        if (selector.MatchLabels is { Count: > 0 } labels)
        {
            parts.Add(From(labels));
        }

        foreach (var expression in selector.MatchExpressions ?? [])
        {
            var values = string.Join(",", expression.Values ?? []);
            parts.Add(expression.OperatorProperty switch
            {
                "In" => $"{expression.Key} in ({values})",
                "NotIn" => $"{expression.Key} notin ({values})",
                "Exists" => expression.Key,
                "DoesNotExist" => $"!{expression.Key}",
                var op => throw new NotSupportedException($"Unknown label selector operator '{op}'."),
            });
        }

        return string.Join(",", parts);
    }
}
