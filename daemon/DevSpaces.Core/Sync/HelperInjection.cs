using DevSpaces.Helper.Protocol;
using k8s.Models;

namespace DevSpaces.Core.Sync;

/// <summary>
/// Puts the helper into a pod template: an init container of the helper image copies the helper into an
/// <c>emptyDir</c>, and the app container's command becomes the helper running the app's own command, so the helper
/// is PID 1 of the app container whatever its image holds (no shell, no <c>tar</c> needed). The session key comes
/// from a Secret. Applying it again replaces the earlier injection.
/// </summary>
public static class HelperInjection
{
    public const string VolumeName = "devspaces-helper";
    public const string MountPath = "/devspaces";
    public const string InitContainerName = "devspaces-helper-install";

    /// <summary>The helper executable's path in the helper image.</summary>
    public const string ImageExecutable = "/devspaces-helper";

    /// <summary>The helper executable's path in the app container.</summary>
    public const string Executable = MountPath + "/devspaces-helper";

    /// <param name="pod">The pod template's spec, changed in place.</param>
    /// <param name="containerName">The container that runs the code.</param>
    /// <param name="command">The app's command as the container would run it (<see cref="EffectiveCommand"/>).</param>
    /// <param name="syncRoot">The absolute folder in the container that the local folder maps to.</param>
    public static void Apply(V1PodSpec pod, string containerName, string helperImage, IReadOnlyList<string> command, string syncRoot, string keySecretName, string keySecretKey)
    {
        var container = pod.Containers.FirstOrDefault(c => c.Name == containerName)
            ?? throw new ArgumentException($"The pod has no container '{containerName}'.", nameof(containerName));
        if (command.Count == 0)
        {
            throw new ArgumentException("The app's command is empty: give run.command in devspaces.yaml or a command in the manifest.", nameof(command));
        }

        pod.Volumes = Without(pod.Volumes, v => v.Name == VolumeName);
        pod.Volumes.Add(new V1Volume { Name = VolumeName, EmptyDir = new V1EmptyDirVolumeSource() });
        pod.InitContainers = Without(pod.InitContainers, c => c.Name == InitContainerName);
        pod.InitContainers.Add(new V1Container
        {
            Name = InitContainerName,
            Image = helperImage,
            ImagePullPolicy = "IfNotPresent",
            Command = [ImageExecutable, "install", MountPath],
            VolumeMounts = [new V1VolumeMount { Name = VolumeName, MountPath = MountPath }],
            SecurityContext = new V1SecurityContext
            {
                AllowPrivilegeEscalation = false,
                ReadOnlyRootFilesystem = true,
                Capabilities = new V1Capabilities { Drop = ["ALL"] },
            },
        });

        container.VolumeMounts = Without(container.VolumeMounts, m => m.Name == VolumeName);
        container.VolumeMounts.Add(new V1VolumeMount { Name = VolumeName, MountPath = MountPath, ReadOnlyProperty = true });
        container.Command = [Executable, "run", "--root", syncRoot, "--", .. command];
        container.Args = null;
        container.Env = Without(container.Env, e => e.Name == HelperProtocol.KeyVariable);
        container.Env.Add(new V1EnvVar
        {
            Name = HelperProtocol.KeyVariable,
            ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = keySecretName, Key = keySecretKey } },
        });
    }

    /// <summary>
    /// What a container runs, by Kubernetes' rules: its <c>command</c> replaces the image's entrypoint (and then its
    /// <c>args</c> alone follow), else the entrypoint runs with the container's <c>args</c> or else the image's cmd.
    /// </summary>
    public static IReadOnlyList<string> EffectiveCommand(V1Container container, IReadOnlyList<string>? imageEntrypoint, IReadOnlyList<string>? imageCmd)
    {
        if (container.Command is { Count: > 0 } command)
        {
            return [.. command, .. container.Args ?? []];
        }

        IEnumerable<string> arguments = container.Args is { Count: > 0 } args ? args : imageCmd ?? [];
        return [.. imageEntrypoint ?? [], .. arguments];
    }

    private static List<T> Without<T>(IList<T>? items, Func<T, bool> drop) => items?.Where(i => !drop(i)).ToList() ?? [];
}
