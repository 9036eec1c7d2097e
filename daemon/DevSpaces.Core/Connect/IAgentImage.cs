using DevSpaces.Core.Images;

namespace DevSpaces.Core.Connect;

/// <summary>Provides an agent image the cluster can run (its reference, and whether the cluster pulls it from a registry).</summary>
public interface IAgentImage
{
    /// <summary>The image, built if needed and delivered for pods of namespace <paramref name="ns"/>.</summary>
    Task<ImageDeliveryResult> EnsureAsync(string ns, IProgress<ImageProgress>? progress, CancellationToken cancellationToken);
}
