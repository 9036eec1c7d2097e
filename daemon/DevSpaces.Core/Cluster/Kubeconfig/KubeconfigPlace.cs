namespace DevSpaces.Core.Cluster.Kubeconfig;

/// <summary>Where something is in a kubeconfig file (line and column from 1), for error messages.</summary>
public sealed record KubeconfigPlace(string File, long Line, long Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}
