using System.Text;
using System.Text.RegularExpressions;
using k8s.Models;

namespace DevSpaces.Core.Connect;

/// <summary>
/// Copies the files the connected container sees in its configMap, secret, projected and downwardAPI volumes into a
/// session folder, each at the folder plus its path in the container (<c>/etc/app/config.json</c> →
/// <c>&lt;root&gt;/etc/app/config.json</c>), as the kubelet would project them: <c>items</c> (key → path, mode),
/// <c>subPath</c>/<c>subPathExpr</c>, <c>optional</c>, <c>defaultMode</c>. Files get the owner's bits of their mode
/// (0644 → 0600, 0755 → 0700, 0400 stays): the copies are this user's alone. Volumes whose content lives elsewhere
/// (emptyDir, hostPath, persistentVolumeClaim, ...) and serviceAccountToken projections are listed as not copied.
/// </summary>
public sealed class MountMaterializer(IVolumeContent content)
{
    private const int DefaultMode = 420; // 0644, the kubelet's default

    /// <summary>Writes the copies under <paramref name="root"/>; <paramref name="environment"/> expands subPathExpr.</summary>
    public async Task<(IReadOnlyList<LocalMount> Mounts, IReadOnlyList<string> Warnings)> WriteAsync(
        TakeoverPlan plan, string root, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        root = Path.GetFullPath(root);
        var warnings = new List<string>();
        var mounts = new List<LocalMount>();
        var volumes = plan.Workload.Template.Spec.Volumes ?? [];
        foreach (var mount in plan.Container.VolumeMounts ?? [])
        {
            var volume = volumes.FirstOrDefault(v => v.Name == mount.Name);
            if (volume == null)
            {
                mounts.Add(new LocalMount(mount.MountPath, mount.Name, "unknown", null, $"the pod has no volume '{mount.Name}'"));
                continue;
            }

            var kind = KindOf(volume);
            List<VolumeFile>? files;
            string? problem;
            try
            {
                (files, problem) = await FilesAsync(volume, plan, cancellationToken).ConfigureAwait(false);
            }
            catch (Errors.DevSpacesException e) when (e.ErrorCode == Contracts.RpcErrorCode.Forbidden)
            {
                // Users who may not read Secrets can still connect; the pod's copy of them just stays in the cluster.
                (files, problem) = (null, e.Message.TrimEnd('.'));
            }

            if (files == null)
            {
                mounts.Add(new LocalMount(mount.MountPath, mount.Name, kind, null, problem));
                warnings.Add($"{mount.MountPath} ({kind} volume '{mount.Name}') is not copied: {problem}.");
                continue;
            }

            var subPath = mount.SubPathExpr is { Length: > 0 } expr ? ConnectEnvironment.Expand(expr, environment) : mount.SubPath;
            if (subPath is { Length: > 0 })
            {
                var prefix = subPath.Trim('/');
                var selected = files.Where(f => f.Path == prefix).Select(f => f with { Path = "" })
                    .Concat(files.Where(f => f.Path.StartsWith(prefix + "/", StringComparison.Ordinal)).Select(f => f with { Path = f.Path[(prefix.Length + 1)..] }))
                    .ToList();
                if (selected.Count == 0)
                {
                    mounts.Add(new LocalMount(mount.MountPath, mount.Name, kind, null, $"subPath '{subPath}' is not in the volume"));
                    warnings.Add($"{mount.MountPath} ({kind} volume '{mount.Name}') is not copied: subPath '{subPath}' is not in the volume.");
                    continue;
                }

                files = selected;
            }

            var local = LocalPathOf(root, mount.MountPath);
            Write(local, files);
            mounts.Add(new LocalMount(mount.MountPath, mount.Name, kind, local, problem));
            if (problem != null)
            {
                warnings.Add($"{mount.MountPath} ({kind} volume '{mount.Name}'): {problem}.");
            }
        }

        return (mounts, warnings);
    }

    /// <summary>
    /// Rewrites paths inside copied mounts to their local copies: <c>/etc/app/config.json</c> in a value becomes
    /// <c>&lt;root&gt;/etc/app/config.json</c> when <c>/etc/app</c> is a copied mount; other paths stay.
    /// </summary>
    public static string RewritePaths(string value, IReadOnlyList<LocalMount> mounts)
    {
        var copied = mounts.Where(m => m.LocalPath != null).OrderByDescending(m => m.ContainerPath.TrimEnd('/').Length).ToList();
        if (copied.Count == 0 || !value.Contains('/', StringComparison.Ordinal))
        {
            return value;
        }

        var alternatives = string.Join('|', copied.Select(m => Regex.Escape(m.ContainerPath.TrimEnd('/'))));
        var pattern = new Regex($@"(?<![\w.\-/~])(?<path>{alternatives})(?=$|[/\s:;,'""\)\]])", RegexOptions.CultureInvariant);
        return pattern.Replace(value, m =>
        {
            var mount = copied.First(c => c.ContainerPath.TrimEnd('/') == m.Groups["path"].Value);
            return mount.LocalPath!;
        });
    }

    /// <summary>The local path of a container path under <paramref name="root"/>; refuses paths that leave it.</summary>
    public static string LocalPathOf(string root, string containerPath)
    {
        var local = Path.GetFullPath(Path.Combine(root, containerPath.TrimStart('/')));
        if (local != root && !local.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"the path '{containerPath}' leaves the mount folder", nameof(containerPath));
        }

        return local;
    }

    private static string KindOf(V1Volume volume) =>
        volume.ConfigMap != null ? "configMap"
        : volume.Secret != null ? "secret"
        : volume.Projected != null ? "projected"
        : volume.DownwardAPI != null ? "downwardAPI"
        : volume.EmptyDir != null ? "emptyDir"
        : volume.HostPath != null ? "hostPath"
        : volume.PersistentVolumeClaim != null ? "persistentVolumeClaim"
        : volume.Csi != null ? "csi"
        : volume.Ephemeral != null ? "ephemeral"
        : volume.Nfs != null ? "nfs"
        : "other";

    /// <summary>The files of a volume (relative path, content, mode), or null and why not.</summary>
    private async Task<(List<VolumeFile>? Files, string? Problem)> FilesAsync(V1Volume volume, TakeoverPlan plan, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        List<VolumeFile>? files;
        if (volume.ConfigMap is { } cm)
        {
            files = await ConfigMapFilesAsync(cm.Name, cm.Items, cm.Optional == true, cm.DefaultMode ?? DefaultMode, problems, cancellationToken).ConfigureAwait(false);
        }
        else if (volume.Secret is { } secret)
        {
            files = await SecretFilesAsync(secret.SecretName, secret.Items, secret.Optional == true, secret.DefaultMode ?? DefaultMode, problems, cancellationToken).ConfigureAwait(false);
        }
        else if (volume.DownwardAPI is { } downward)
        {
            files = DownwardFiles(downward.Items, downward.DefaultMode ?? DefaultMode, plan, problems);
        }
        else if (volume.Projected is { } projected)
        {
            files = [];
            var mode = projected.DefaultMode ?? DefaultMode;
            foreach (var source in projected.Sources ?? [])
            {
                var part = source.ConfigMap is { } pcm ? await ConfigMapFilesAsync(pcm.Name, pcm.Items, pcm.Optional == true, mode, problems, cancellationToken).ConfigureAwait(false)
                    : source.Secret is { } ps ? await SecretFilesAsync(ps.Name, ps.Items, ps.Optional == true, mode, problems, cancellationToken).ConfigureAwait(false)
                    : source.DownwardAPI is { } pd ? DownwardFiles(pd.Items, mode, plan, problems)
                    : null;
                if (source.ServiceAccountToken is { } token)
                {
                    // A token of the workload's ServiceAccount would hand this machine the pod's identity in the cluster;
                    // the local process uses the user's own credentials instead.
                    problems.Add($"the serviceAccountToken '{token.Path}' is left out (it would give this machine the workload's identity)");
                }

                if (part == null && source.ServiceAccountToken == null)
                {
                    problems.Add("a projected source of an unknown type is left out");
                }

                files.AddRange(part ?? []);
            }

            // A required source that is missing fails the pod; so does it here.
            if (problems.Any(p => p.Contains("does not exist", StringComparison.Ordinal) && !p.Contains("optional", StringComparison.Ordinal)))
            {
                return (null, string.Join("; ", problems));
            }
        }
        else
        {
            var kind = KindOf(volume);
            return (null, kind switch
            {
                "emptyDir" => "an emptyDir starts empty in every pod and is not shared with it",
                "hostPath" => "a hostPath is a folder of the cluster node",
                "persistentVolumeClaim" => "the data of a persistent volume stays in the cluster",
                _ => $"the data of a {kind} volume stays in the cluster",
            });
        }

        if (files == null)
        {
            return (null, string.Join("; ", problems));
        }

        return (files, problems.Count == 0 ? null : string.Join("; ", problems));
    }

    /// <summary>A source that does not exist: no files when it is optional, else a failure, as for the kubelet.</summary>
    private static List<VolumeFile>? Missing(string what, bool optional, List<string> problems)
    {
        problems.Add(optional ? $"{what} does not exist (optional)" : $"{what} does not exist; the pod would not start either");
        return optional ? [] : null;
    }

    private async Task<List<VolumeFile>?> ConfigMapFilesAsync(string name, IList<V1KeyToPath>? items, bool optional, int mode, List<string> problems, CancellationToken cancellationToken)
    {
        var map = await content.ConfigMapAsync(name, cancellationToken).ConfigureAwait(false);
        if (map == null)
        {
            return Missing($"ConfigMap '{name}'", optional, problems);
        }

        var data = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (key, value) in map.Data ?? new Dictionary<string, string>())
        {
            data[key] = Encoding.UTF8.GetBytes(value);
        }

        foreach (var (key, value) in map.BinaryData ?? new Dictionary<string, byte[]>())
        {
            data[key] = value;
        }

        return Project($"ConfigMap '{name}'", data, items, optional, mode, problems);
    }

    private async Task<List<VolumeFile>?> SecretFilesAsync(string name, IList<V1KeyToPath>? items, bool optional, int mode, List<string> problems, CancellationToken cancellationToken)
    {
        var secret = await content.SecretAsync(name, cancellationToken).ConfigureAwait(false);
        if (secret == null)
        {
            return Missing($"Secret '{name}'", optional, problems);
        }

        return Project($"Secret '{name}'", new Dictionary<string, byte[]>(secret.Data ?? new Dictionary<string, byte[]>(), StringComparer.Ordinal), items, optional, mode, problems);
    }

    /// <summary>Every key as a file of its name, or only the listed items at their paths and modes.</summary>
    private static List<VolumeFile>? Project(string what, IReadOnlyDictionary<string, byte[]> data, IList<V1KeyToPath>? items, bool optional, int mode, List<string> problems)
    {
        if (items is not { Count: > 0 })
        {
            return [.. data.Select(d => new VolumeFile(d.Key, d.Value, mode))];
        }

        var files = new List<VolumeFile>();
        foreach (var item in items)
        {
            if (!data.TryGetValue(item.Key, out var value))
            {
                if (!optional)
                {
                    problems.Add($"key '{item.Key}' of {what} does not exist; the pod would not start either");
                    return null;
                }

                problems.Add($"key '{item.Key}' of {what} does not exist (optional)");
                continue;
            }

            files.Add(new VolumeFile(item.Path, value, item.Mode ?? mode));
        }

        return files;
    }

    private static List<VolumeFile> DownwardFiles(IList<V1DownwardAPIVolumeFile>? items, int mode, TakeoverPlan plan, List<string> problems)
    {
        var files = new List<VolumeFile>();
        var template = plan.Workload.Template;
        foreach (var item in items ?? [])
        {
            string? value = null;
            if (item.FieldRef is { } field)
            {
                value = field.FieldPath switch
                {
                    "metadata.labels" => Pairs(template.Metadata?.Labels),
                    "metadata.annotations" => Pairs(template.Metadata?.Annotations),
                    _ => ConnectEnvironment.FieldValue(field.FieldPath, plan),
                };
            }
            else if (item.ResourceFieldRef is { } resource)
            {
                var container = template.Spec.Containers.FirstOrDefault(c => c.Name == (resource.ContainerName ?? plan.Container.Name)) ?? plan.Container;
                value = ConnectEnvironment.ResourceValue(resource, container);
            }

            if (value == null)
            {
                problems.Add($"downward API file '{item.Path}' has no local value");
                continue;
            }

            files.Add(new VolumeFile(item.Path, Encoding.UTF8.GetBytes(value), item.Mode ?? mode));
        }

        return files;
    }

    private static string Pairs(IDictionary<string, string>? values) =>
        string.Join('\n', (values ?? new Dictionary<string, string>()).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}=\"{p.Value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n")}\""));

    private static void Write(string target, List<VolumeFile> files)
    {
        foreach (var file in files)
        {
            var path = file.Path.Length == 0 ? target : LocalPathOf(target, file.Path);
            var directory = Path.GetDirectoryName(path)!;
            CreateDirectories(directory);
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = OwnerMode(file.Mode);
            }

            using (var stream = new FileStream(path, options))
            {
                stream.Write(file.Content);
            }

            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, OwnerMode(file.Mode)); // the file may have existed (a mount inside another)
            }
        }

        if (files.All(f => f.Path.Length > 0))
        {
            CreateDirectories(target); // an empty volume is an empty folder
        }
    }

    private static void CreateDirectories(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
            return;
        }

        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>The owner's bits of a volume file mode, always readable by the owner.</summary>
    public static UnixFileMode OwnerMode(int mode) => (UnixFileMode)((mode & 0x1C0) | 0x100);

    /// <summary>A file of a volume: its path inside the volume, content and mode.</summary>
    private sealed record VolumeFile(string Path, byte[] Content, int Mode);
}
