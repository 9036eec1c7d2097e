namespace DevSpaces.Core.Cluster.Api;

/// <summary>The paths of the core (v1) resources <see cref="ApiServerClient"/> reads.</summary>
public static class ApiPaths
{
    public const string Version = "/version";

    /// <summary>A cluster-wide collection (<c>namespaces</c>, <c>services</c> of every namespace), optionally by label selector.</summary>
    public static string All(string resource, string? labelSelector = null) =>
        labelSelector == null ? $"/api/v1/{resource}" : $"/api/v1/{resource}?labelSelector={Uri.EscapeDataString(labelSelector)}";

    public static string Namespace(string name) => $"/api/v1/namespaces/{Uri.EscapeDataString(name)}";

    /// <summary>The objects of a namespaced resource (<c>configmaps</c>, <c>services</c>) in one namespace.</summary>
    public static string InNamespace(string ns, string resource) => $"{Namespace(ns)}/{resource}";

    /// <summary>One object of a namespaced resource.</summary>
    public static string Namespaced(string ns, string resource, string name) => $"{InNamespace(ns, resource)}/{Uri.EscapeDataString(name)}";
}
