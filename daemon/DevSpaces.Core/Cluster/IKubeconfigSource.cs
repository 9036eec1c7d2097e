namespace DevSpaces.Core.Cluster;

/// <summary>Where a workspace's kubeconfig comes from; every cluster operation starts by reading it.</summary>
public interface IKubeconfigSource
{
    /// <summary>Where the files are looked for, and where that list came from.</summary>
    (IReadOnlyList<string> Files, string Origin) Candidates();

    /// <summary>Reads and merges the kubeconfig files.</summary>
    LoadedKubeconfig Load();
}
