namespace DevSpaces.Contracts;

/// <summary>One context of the kubeconfig.</summary>
/// <param name="Name">Context name.</param>
/// <param name="Cluster">Cluster entry of the context.</param>
/// <param name="User">User entry of the context.</param>
/// <param name="Namespace">Default namespace of the context.</param>
/// <param name="Server">API server URL.</param>
/// <param name="IsCurrent">True for the context the workspace uses.</param>
public sealed record ContextInfo(string Name, string? Cluster, string? User, string? Namespace, string? Server, bool IsCurrent);
