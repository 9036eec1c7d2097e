namespace DevSpaces.Core.Connect;

/// <summary>A volumeMount of the connected container and where its files are on this machine.</summary>
/// <param name="ContainerPath">The mountPath in the container.</param>
/// <param name="Volume">The volume's name.</param>
/// <param name="Kind">The volume's type: configMap, secret, projected, downwardAPI, emptyDir, hostPath, persistentVolumeClaim, ...</param>
/// <param name="LocalPath">The copy on this machine; null when not copied.</param>
/// <param name="Note">Why it was not copied, or what was left out of it.</param>
public sealed record LocalMount(string ContainerPath, string Volume, string Kind, string? LocalPath, string? Note = null);
