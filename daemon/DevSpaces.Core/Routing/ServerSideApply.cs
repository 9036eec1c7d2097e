using DevSpaces.Core.Cluster;
using k8s;
using k8s.Models;

namespace DevSpaces.Core.Routing;

/// <summary>
/// The router's objects applied server-side. A class of its own: a generic method constrained to KubernetesClient's
/// types makes the runtime load that assembly with the class that declares it, and <see cref="RoutingService"/> also
/// serves the idle daemon's space URLs.
/// </summary>
internal static class ServerSideApply
{
    private const string FieldManager = "devspaces";

    /// <summary>Creates or updates <paramref name="obj"/> in <paramref name="ns"/> with server-side apply (it keeps what the server assigned: cluster IP, node port).</summary>
    public static Task ApplyAsync<T>(ClusterConnection cluster, string ns, T obj, CancellationToken cancellationToken)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        var (apiVersion, kind, resource) = obj switch
        {
            V1ServiceAccount => ("v1", "ServiceAccount", "serviceaccounts"),
            V1Role => ("rbac.authorization.k8s.io/v1", "Role", "roles"),
            V1RoleBinding => ("rbac.authorization.k8s.io/v1", "RoleBinding", "rolebindings"),
            V1ConfigMap => ("v1", "ConfigMap", "configmaps"),
            V1Deployment => ("apps/v1", "Deployment", "deployments"),
            V1Service => ("v1", "Service", "services"),
            _ => throw new ArgumentException($"no apply for {typeof(T).Name}"),
        };
        obj.ApiVersion = apiVersion;
        obj.Kind = kind;
        var name = obj.Metadata.Name;
        var patch = new V1Patch(KubernetesJson.Serialize(obj), V1Patch.PatchType.ApplyPatch);
        return cluster.CallAsync(new ClusterOperation("apply", resource, name, ns), (c, ct) => obj switch
        {
            V1ServiceAccount => c.CoreV1.PatchNamespacedServiceAccountAsync(patch, name, ns, fieldManager: FieldManager, force: true, cancellationToken: ct),
            V1Role => c.RbacAuthorizationV1.PatchNamespacedRoleAsync(patch, name, ns, fieldManager: FieldManager, force: true, cancellationToken: ct),
            V1RoleBinding => c.RbacAuthorizationV1.PatchNamespacedRoleBindingAsync(patch, name, ns, fieldManager: FieldManager, force: true, cancellationToken: ct),
            V1ConfigMap => c.CoreV1.PatchNamespacedConfigMapAsync(patch, name, ns, fieldManager: FieldManager, force: true, cancellationToken: ct),
            V1Deployment => c.AppsV1.PatchNamespacedDeploymentAsync(patch, name, ns, fieldManager: FieldManager, force: true, cancellationToken: ct),
            _ => (Task)c.CoreV1.PatchNamespacedServiceAsync(patch, name, ns, fieldManager: FieldManager, force: true, cancellationToken: ct),
        }, cancellationToken);
    }
}
