using DevSpaces.Core.Images;

namespace DevSpaces.Core.Connect;

/// <summary>Provides an agent image the cluster can run (its reference, and whether the cluster pulls it from a registry).</summary>
public interface IAgentImage
{
    Task<ImageDeliveryResult> EnsureAsync(IProgress<ImageProgress>? progress, CancellationToken cancellationToken);
}
