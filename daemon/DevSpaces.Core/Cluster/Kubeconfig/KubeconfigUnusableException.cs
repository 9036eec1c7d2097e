namespace DevSpaces.Core.Cluster.Kubeconfig;

/// <summary>
/// A kubeconfig that cannot be read or used: what is wrong (naming the file, line and column when known) and how to fix
/// it. Never carries a credential.
/// </summary>
public sealed class KubeconfigUnusableException(string message, string hint, Exception? inner = null) : Exception(message, inner)
{
    public string Hint { get; } = hint;
}
