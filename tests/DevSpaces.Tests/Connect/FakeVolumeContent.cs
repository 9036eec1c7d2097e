using DevSpaces.Core.Connect;
using k8s.Models;

namespace DevSpaces.Tests.Connect;

/// <summary>ConfigMaps and Secrets held in memory, by name.</summary>
public sealed class FakeVolumeContent : IVolumeContent
{
    public Dictionary<string, V1ConfigMap> ConfigMaps { get; } = [];

    public Dictionary<string, V1Secret> Secrets { get; } = [];

    public Task<V1ConfigMap?> ConfigMapAsync(string name, CancellationToken cancellationToken) => Task.FromResult(ConfigMaps.GetValueOrDefault(name));

    /// <summary>Secrets this user may not read (the API server answers 403).</summary>
    public HashSet<string> ForbiddenSecrets { get; } = [];

    public Task<V1Secret?> SecretAsync(string name, CancellationToken cancellationToken) => ForbiddenSecrets.Contains(name)
        ? throw new DevSpaces.Core.Errors.DevSpacesException(DevSpaces.Contracts.RpcErrorCode.Forbidden, $"You may not get secrets '{name}' in namespace 'dev'.", "Ask for the right.")
        : Task.FromResult(Secrets.GetValueOrDefault(name));
}
