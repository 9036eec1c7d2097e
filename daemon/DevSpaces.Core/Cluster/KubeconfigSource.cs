using DevSpaces.Contracts;
using DevSpaces.Core.Errors;
using k8s;
using k8s.Exceptions;
using k8s.KubeConfigModels;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace DevSpaces.Core.Cluster;

/// <summary>
/// Finds and reads the kubeconfig like kubectl does: <c>--kubeconfig</c>, else the files listed in
/// <c>KUBECONFIG</c> (missing ones skipped, merged in order), else <c>~/.kube/config</c>.
/// </summary>
public sealed class KubeconfigSource(string? explicitPath, string? kubeconfigVariable, string? homeDirectory) : IKubeconfigSource
{
    private static readonly IDeserializer KubeconfigYaml = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .IgnoreUnmatchedProperties()
        .Build();

    /// <summary>From the process: <c>KUBECONFIG</c> and the user's home.</summary>
    public static KubeconfigSource FromEnvironment(string? explicitPath) =>
        new(explicitPath, Environment.GetEnvironmentVariable("KUBECONFIG"), Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    /// <summary>Where the files are looked for, and where that list came from.</summary>
    public (IReadOnlyList<string> Files, string Origin) Candidates()
    {
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            return ([Path.GetFullPath(explicitPath)], "--kubeconfig");
        }

        if (!string.IsNullOrWhiteSpace(kubeconfigVariable))
        {
            var files = kubeconfigVariable.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(Path.GetFullPath).Distinct().ToList();
            return (files, "KUBECONFIG");
        }

        var home = string.IsNullOrEmpty(homeDirectory) ? "~" : homeDirectory;
        return ([Path.Combine(home, ".kube", "config")], "the default location");
    }

    /// <summary>Reads and merges the kubeconfig files.</summary>
    /// <exception cref="DevSpacesException">KubeconfigNotFound or KubeconfigInvalid.</exception>
    public LoadedKubeconfig Load()
    {
        var (candidates, origin) = Candidates();
        var existing = candidates.Where(File.Exists).ToList();
        if (existing.Count == 0)
        {
            throw new DevSpacesException(
                RpcErrorCode.KubeconfigNotFound,
                $"No kubeconfig found: {string.Join(", ", candidates)} ({origin}) does not exist.",
                "Point KUBECONFIG or --kubeconfig at your cluster's kubeconfig file, or create ~/.kube/config (your cluster provider's get-credentials command writes it).");
        }

        try
        {
            var configs = existing.Select(Read).ToList();
            return new LoadedKubeconfig(Merge(configs), existing);
        }
        catch (Exception ex) when (ex is KubeConfigException or IOException or UnauthorizedAccessException or FormatException
                                       or YamlDotNet.Core.YamlException or ArgumentException or InvalidOperationException)
        {
            throw new DevSpacesException(
                RpcErrorCode.KubeconfigInvalid,
                $"The kubeconfig {string.Join(", ", existing)} could not be read.",
                "Fix the file (kubectl config view shows what kubectl makes of it) or point KUBECONFIG at another one.",
                ex.Message,
                ex);
        }
    }

    /// <summary>
    /// One kubeconfig file, read with YamlDotNet alone: KubernetesClient's reader (<c>KubernetesYaml</c>) first maps
    /// every model type of the library, about 25 MiB that a daemon would carry for its whole life.
    /// </summary>
    private static K8SConfiguration Read(string file)
    {
        var config = KubeconfigYaml.Deserialize<K8SConfiguration?>(File.ReadAllText(file))
                     ?? throw new KubeConfigException($"{file} is empty.");

        // Relative certificate, key and token paths are relative to the file, as for kubectl.
        config.FileName = Path.GetFullPath(file);
        return config;
    }

    /// <summary>kubectl's merge rule: the first file that sets a value or names an entry wins.</summary>
    private static K8SConfiguration Merge(IReadOnlyList<K8SConfiguration> configs)
    {
        if (configs.Count == 1)
        {
            return configs[0];
        }

        return new K8SConfiguration
        {
            CurrentContext = configs.Select(c => c.CurrentContext).FirstOrDefault(c => !string.IsNullOrEmpty(c)),
            Contexts = configs.SelectMany(c => c.Contexts ?? []).DistinctBy(c => c.Name).ToList(),
            Clusters = configs.SelectMany(c => c.Clusters ?? []).DistinctBy(c => c.Name).ToList(),
            Users = configs.SelectMany(c => c.Users ?? []).DistinctBy(c => c.Name).ToList(),
        };
    }
}
