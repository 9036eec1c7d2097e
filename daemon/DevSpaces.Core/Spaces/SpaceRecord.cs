using k8s.Models;

namespace DevSpaces.Core.Spaces;

/// <summary>A space as read from its namespace.</summary>
public sealed record SpaceRecord(string Name, string? Parent, string Phase)
{
    public static bool IsSpace(V1Namespace ns) =>
        ns.Metadata?.Labels?.TryGetValue(SpaceLabels.Space, out var value) == true && value == "true";

    /// <summary>The space a namespace is, or null when it is not one.</summary>
    public static SpaceRecord? From(V1Namespace ns)
    {
        if (!IsSpace(ns))
        {
            return null;
        }

        var parent = ns.Metadata.Labels.TryGetValue(SpaceLabels.Parent, out var p) && !string.IsNullOrEmpty(p) ? p : null;
        return new SpaceRecord(ns.Metadata.Name, parent, ns.Status?.Phase ?? "Active");
    }
}
