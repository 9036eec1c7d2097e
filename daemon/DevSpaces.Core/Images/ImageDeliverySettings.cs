namespace DevSpaces.Core.Images;

/// <summary>How built images reach the cluster (<c>images:</c> in devspaces.yaml / settings).</summary>
public sealed record ImageDeliverySettings
{
    /// <summary>Registry to push to when the cluster does not share the local engine, e.g. <c>registry.example.com/team</c>.</summary>
    public string? Registry { get; init; }

    /// <summary>Forces the decision: true = the cluster uses this engine's images, false = always push; null = detect.</summary>
    public bool? SharedEngine { get; init; }
}
