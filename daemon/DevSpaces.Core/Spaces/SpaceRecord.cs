using DevSpaces.Core.Cluster.Api;
using k8s.Models;

namespace DevSpaces.Core.Spaces;

/// <summary>A space as read from its namespace.</summary>
public sealed record SpaceRecord(string Name, string? Parent, string Phase)
{
    public static bool IsSpace(ApiNamespace ns) => IsSpace(ns.Metadata.Labels);

    /// <summary>As <see cref="IsSpace(ApiNamespace)"/>, for a namespace read with KubernetesClient.</summary>
    public static bool IsSpace(V1Namespace ns) => IsSpace(ns.Metadata?.Labels?.AsReadOnly());

    /// <summary>The space a namespace is, or null when it is not one.</summary>
    public static SpaceRecord? From(ApiNamespace ns) => From(ns.Metadata.Name, ns.Metadata.Labels, ns.Status?.Phase);

    /// <summary>As <see cref="From(ApiNamespace)"/>, for a namespace read with KubernetesClient.</summary>
    public static SpaceRecord? From(V1Namespace ns) => From(ns.Metadata.Name, ns.Metadata.Labels?.AsReadOnly(), ns.Status?.Phase);

    private static bool IsSpace(IReadOnlyDictionary<string, string>? labels) =>
        labels?.TryGetValue(SpaceLabels.Space, out var value) == true && value == "true";

    private static SpaceRecord? From(string name, IReadOnlyDictionary<string, string>? labels, string? phase)
    {
        if (!IsSpace(labels))
        {
            return null;
        }

        var parent = labels!.TryGetValue(SpaceLabels.Parent, out var p) && !string.IsNullOrEmpty(p) ? p : null;
        return new SpaceRecord(name, parent, phase ?? "Active");
    }
}
