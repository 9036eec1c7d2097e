namespace DevSpaces.Contracts;

/// <summary>A volumeMount of the connected container and its copy on this machine.</summary>
/// <param name="ContainerPath">The mountPath in the container.</param>
/// <param name="LocalPath">Where its files are on this machine (the session's mount root plus the container path); null when not copied.</param>
/// <param name="Volume">The volume's name.</param>
/// <param name="Kind">The volume's type: configMap, secret, projected, downwardAPI, emptyDir, hostPath, persistentVolumeClaim, ...</param>
/// <param name="Note">Why it is not copied, or what was left out of it (e.g. a serviceAccountToken); null when nothing.</param>
public sealed record ConnectMount(string ContainerPath, string? LocalPath, string Volume, string Kind, string? Note);
