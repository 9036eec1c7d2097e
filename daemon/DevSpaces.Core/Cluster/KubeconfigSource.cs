using DevSpaces.Contracts;
using DevSpaces.Core.Errors;
using DevSpaces.Core.Cluster.Kubeconfig;

namespace DevSpaces.Core.Cluster;

/// <summary>
/// Finds and reads the kubeconfig like kubectl does: <c>--kubeconfig</c>, else the files listed in
/// <c>KUBECONFIG</c> (missing ones skipped, merged in order), else <c>~/.kube/config</c>.
/// </summary>
public sealed class KubeconfigSource(string? explicitPath, string? kubeconfigVariable, string? homeDirectory) : IKubeconfigSource
{
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
            return LoadedKubeconfig.Merge(existing.Select(KubeconfigReader.ReadFile).ToList());
        }
        catch (KubeconfigUnusableException ex)
        {
            throw new DevSpacesException(
                RpcErrorCode.KubeconfigInvalid,
                $"The kubeconfig {string.Join(", ", existing)} could not be read.",
                ex.Hint,
                ex.Message,
                ex);
        }
    }
}
