namespace DevSpaces.Core.PortForwarding;

/// <summary>Which pods of a namespace can serve a forward: by label selector, or one pod by name.</summary>
public sealed record PodSelection(string Namespace, string? LabelSelector, string? PodName)
{
    public string? FieldSelector => PodName is null ? null : $"metadata.name={PodName}";

    public override string ToString() =>
        PodName is not null ? $"pod {PodName}" : $"pods matching {LabelSelector}";
}
