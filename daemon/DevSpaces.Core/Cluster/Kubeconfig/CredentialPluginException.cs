namespace DevSpaces.Core.Cluster.Kubeconfig;

/// <summary>A user's credential plugin (or auth provider) gave no credential: what it said, never what it printed on stdout.</summary>
public sealed class CredentialPluginException(string message, Exception? inner = null) : Exception(message, inner);
