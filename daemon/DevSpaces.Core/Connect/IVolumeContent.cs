using k8s.Models;

namespace DevSpaces.Core.Connect;

/// <summary>The ConfigMaps and Secrets of the connected workload's namespace that its volumes project.</summary>
public interface IVolumeContent
{
    /// <summary>The ConfigMap, or null when it does not exist.</summary>
    Task<V1ConfigMap?> ConfigMapAsync(string name, CancellationToken cancellationToken);

    /// <summary>The Secret, or null when it does not exist.</summary>
    Task<V1Secret?> SecretAsync(string name, CancellationToken cancellationToken);
}
