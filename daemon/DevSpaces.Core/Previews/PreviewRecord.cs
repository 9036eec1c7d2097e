using System.Globalization;
using DevSpaces.Core.Spaces;
using k8s.Models;

namespace DevSpaces.Core.Previews;

/// <summary>A preview as read from its namespace's labels and annotations.</summary>
public sealed record PreviewRecord(string Name, string? Parent, int? PullRequest, string? Commit, DateTimeOffset Created, DateTimeOffset Updated, string Phase)
{
    public static bool IsPreview(V1Namespace ns) =>
        SpaceRecord.IsSpace(ns) && ns.Metadata.Labels?.TryGetValue(PreviewLabels.Preview, out var value) == true && value == "true";

    /// <summary>The preview a namespace is, or null when it is not one.</summary>
    public static PreviewRecord? From(V1Namespace ns)
    {
        if (!IsPreview(ns))
        {
            return null;
        }

        var labels = ns.Metadata.Labels;
        var annotations = ns.Metadata.Annotations ?? new Dictionary<string, string>();
        var created = Time(annotations, PreviewLabels.Created)
            ?? (ns.Metadata.CreationTimestamp is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : DateTimeOffset.MinValue);
        return new PreviewRecord(
            ns.Metadata.Name,
            labels.TryGetValue(SpaceLabels.Parent, out var parent) && parent.Length > 0 ? parent : null,
            labels.TryGetValue(PreviewLabels.PullRequest, out var pr) && int.TryParse(pr, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null,
            annotations.TryGetValue(PreviewLabels.Commit, out var commit) && commit.Length > 0 ? commit : null,
            created,
            Time(annotations, PreviewLabels.Updated) ?? created,
            ns.Status?.Phase ?? "Active");
    }

    private static DateTimeOffset? Time(IDictionary<string, string> annotations, string key) =>
        annotations.TryGetValue(key, out var text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;
}
