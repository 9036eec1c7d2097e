namespace DevSpaces.Contracts;

/// <summary>A service of a space.</summary>
/// <param name="Name">Service name.</param>
/// <param name="Type">ClusterIP, NodePort, LoadBalancer or ExternalName.</param>
/// <param name="ClusterIP">Cluster IP, if any.</param>
/// <param name="Ports">Its ports.</param>
public sealed record ServiceInfo(string Name, string Type, string? ClusterIP, IReadOnlyList<ServicePortInfo> Ports);
