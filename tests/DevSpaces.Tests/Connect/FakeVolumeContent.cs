using DevSpaces.Core.Connect;
using k8s.Models;

namespace DevSpaces.Tests.Connect;

/// <summary>ConfigMaps and Secrets held in memory, by name.</summary>
public sealed class FakeVolumeContent : IVolumeContent
{
    public Dictionary<string, V1ConfigMap> ConfigMaps { get; } = [];

    public Dictionary<string, V1Secret> Secrets { get; } = [];

    public Task<V1ConfigMap?> ConfigMapAsync(string name, CancellationToken cancellationToken) => Task.FromResult(ConfigMaps.GetValueOrDefault(name));

    public Task<V1Secret?> SecretAsync(string name, CancellationToken cancellationToken) => Task.FromResult(Secrets.GetValueOrDefault(name));
}
