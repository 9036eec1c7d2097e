namespace DevSpaces.Core.Cluster.Kubeconfig;

/// <summary>One entry of a kubeconfig's <c>contexts</c>: which cluster, as which user, in which namespace.</summary>
public sealed record KubeconfigContext(string Name, string? Cluster, string? User, string? Namespace, KubeconfigPlace Place);
