using k8s;
using k8s.Models;

namespace DevSpaces.Core.Up;

/// <summary>
/// The kinds of object a service's manifests may hold, with the calls <c>up</c> and <c>down</c> make on them. All are
/// namespaced: what <c>up</c> deploys stays inside the space, so a user whose rights end at the namespace can run it.
/// </summary>
public sealed record ObjectKind(
    string ApiVersion,
    string Kind,
    string Plural,
    Func<IKubernetes, string, string, CancellationToken, Task<IKubernetesObject<V1ObjectMeta>>> Read,
    Func<IKubernetes, V1Patch, string, string, CancellationToken, Task> Apply,
    Func<IKubernetes, IKubernetesObject<V1ObjectMeta>, string, CancellationToken, Task> Replace,
    Func<IKubernetes, string, string, CancellationToken, Task> Delete,
    Func<IKubernetes, string, string, CancellationToken, Task<IReadOnlyList<IKubernetesObject<V1ObjectMeta>>>> List)
{
    /// <summary>The field manager of DevSpaces' server-side applies.</summary>
    public const string FieldManager = "devspaces";

    /// <summary>"Deployment/api".</summary>
    public string Describe(string name) => $"{Kind}/{name}";
}

public static class ObjectKinds
{
    public static IReadOnlyList<ObjectKind> All { get; } =
    [
        new("v1", "ConfigMap", "configmaps",
            async (k, ns, n, ct) => await k.CoreV1.ReadNamespacedConfigMapAsync(n, ns, cancellationToken: ct).ConfigureAwait(false),
            (k, p, ns, n, ct) => k.CoreV1.PatchNamespacedConfigMapAsync(p, n, ns, fieldManager: ObjectKind.FieldManager, force: true, cancellationToken: ct),
            (k, o, ns, ct) => k.CoreV1.ReplaceNamespacedConfigMapAsync((V1ConfigMap)o, o.Name(), ns, cancellationToken: ct),
            (k, ns, n, ct) => k.CoreV1.DeleteNamespacedConfigMapAsync(n, ns, cancellationToken: ct),
            async (k, ns, s, ct) => (await k.CoreV1.ListNamespacedConfigMapAsync(ns, labelSelector: s, cancellationToken: ct).ConfigureAwait(false)).Items.ToList<IKubernetesObject<V1ObjectMeta>>()),
        new("v1", "Secret", "secrets",
            async (k, ns, n, ct) => await k.CoreV1.ReadNamespacedSecretAsync(n, ns, cancellationToken: ct).ConfigureAwait(false),
            (k, p, ns, n, ct) => k.CoreV1.PatchNamespacedSecretAsync(p, n, ns, fieldManager: ObjectKind.FieldManager, force: true, cancellationToken: ct),
            (k, o, ns, ct) => k.CoreV1.ReplaceNamespacedSecretAsync((V1Secret)o, o.Name(), ns, cancellationToken: ct),
            (k, ns, n, ct) => k.CoreV1.DeleteNamespacedSecretAsync(n, ns, cancellationToken: ct),
            async (k, ns, s, ct) => (await k.CoreV1.ListNamespacedSecretAsync(ns, labelSelector: s, cancellationToken: ct).ConfigureAwait(false)).Items.ToList<IKubernetesObject<V1ObjectMeta>>()),
        new("v1", "ServiceAccount", "serviceaccounts",
            async (k, ns, n, ct) => await k.CoreV1.ReadNamespacedServiceAccountAsync(n, ns, cancellationToken: ct).ConfigureAwait(false),
            (k, p, ns, n, ct) => k.CoreV1.PatchNamespacedServiceAccountAsync(p, n, ns, fieldManager: ObjectKind.FieldManager, force: true, cancellationToken: ct),
            (k, o, ns, ct) => k.CoreV1.ReplaceNamespacedServiceAccountAsync((V1ServiceAccount)o, o.Name(), ns, cancellationToken: ct),
            (k, ns, n, ct) => k.CoreV1.DeleteNamespacedServiceAccountAsync(n, ns, cancellationToken: ct),
            async (k, ns, s, ct) => (await k.CoreV1.ListNamespacedServiceAccountAsync(ns, labelSelector: s, cancellationToken: ct).ConfigureAwait(false)).Items.ToList<IKubernetesObject<V1ObjectMeta>>()),
        new("v1", "PersistentVolumeClaim", "persistentvolumeclaims",
            async (k, ns, n, ct) => await k.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(n, ns, cancellationToken: ct).ConfigureAwait(false),
            (k, p, ns, n, ct) => k.CoreV1.PatchNamespacedPersistentVolumeClaimAsync(p, n, ns, fieldManager: ObjectKind.FieldManager, force: true, cancellationToken: ct),
            (k, o, ns, ct) => k.CoreV1.ReplaceNamespacedPersistentVolumeClaimAsync((V1PersistentVolumeClaim)o, o.Name(), ns, cancellationToken: ct),
            (k, ns, n, ct) => k.CoreV1.DeleteNamespacedPersistentVolumeClaimAsync(n, ns, cancellationToken: ct),
            async (k, ns, s, ct) => (await k.CoreV1.ListNamespacedPersistentVolumeClaimAsync(ns, labelSelector: s, cancellationToken: ct).ConfigureAwait(false)).Items.ToList<IKubernetesObject<V1ObjectMeta>>()),
        new("v1", "Service", "services",
            async (k, ns, n, ct) => await k.CoreV1.ReadNamespacedServiceAsync(n, ns, cancellationToken: ct).ConfigureAwait(false),
            (k, p, ns, n, ct) => k.CoreV1.PatchNamespacedServiceAsync(p, n, ns, fieldManager: ObjectKind.FieldManager, force: true, cancellationToken: ct),
            (k, o, ns, ct) => k.CoreV1.ReplaceNamespacedServiceAsync((V1Service)o, o.Name(), ns, cancellationToken: ct),
            DeleteServiceAsync,
            async (k, ns, s, ct) => (await k.CoreV1.ListNamespacedServiceAsync(ns, labelSelector: s, cancellationToken: ct).ConfigureAwait(false)).Items.ToList<IKubernetesObject<V1ObjectMeta>>()),
        new("apps/v1", "Deployment", "deployments",
            async (k, ns, n, ct) => await k.AppsV1.ReadNamespacedDeploymentAsync(n, ns, cancellationToken: ct).ConfigureAwait(false),
            (k, p, ns, n, ct) => k.AppsV1.PatchNamespacedDeploymentAsync(p, n, ns, fieldManager: ObjectKind.FieldManager, force: true, cancellationToken: ct),
            (k, o, ns, ct) => k.AppsV1.ReplaceNamespacedDeploymentAsync((V1Deployment)o, o.Name(), ns, cancellationToken: ct),
            (k, ns, n, ct) => k.AppsV1.DeleteNamespacedDeploymentAsync(n, ns, propagationPolicy: "Background", cancellationToken: ct),
            async (k, ns, s, ct) => (await k.AppsV1.ListNamespacedDeploymentAsync(ns, labelSelector: s, cancellationToken: ct).ConfigureAwait(false)).Items.ToList<IKubernetesObject<V1ObjectMeta>>()),
        new("apps/v1", "StatefulSet", "statefulsets",
            async (k, ns, n, ct) => await k.AppsV1.ReadNamespacedStatefulSetAsync(n, ns, cancellationToken: ct).ConfigureAwait(false),
            (k, p, ns, n, ct) => k.AppsV1.PatchNamespacedStatefulSetAsync(p, n, ns, fieldManager: ObjectKind.FieldManager, force: true, cancellationToken: ct),
            (k, o, ns, ct) => k.AppsV1.ReplaceNamespacedStatefulSetAsync((V1StatefulSet)o, o.Name(), ns, cancellationToken: ct),
            (k, ns, n, ct) => k.AppsV1.DeleteNamespacedStatefulSetAsync(n, ns, propagationPolicy: "Background", cancellationToken: ct),
            async (k, ns, s, ct) => (await k.AppsV1.ListNamespacedStatefulSetAsync(ns, labelSelector: s, cancellationToken: ct).ConfigureAwait(false)).Items.ToList<IKubernetesObject<V1ObjectMeta>>()),
        new("networking.k8s.io/v1", "Ingress", "ingresses",
            async (k, ns, n, ct) => await k.NetworkingV1.ReadNamespacedIngressAsync(n, ns, cancellationToken: ct).ConfigureAwait(false),
            (k, p, ns, n, ct) => k.NetworkingV1.PatchNamespacedIngressAsync(p, n, ns, fieldManager: ObjectKind.FieldManager, force: true, cancellationToken: ct),
            (k, o, ns, ct) => k.NetworkingV1.ReplaceNamespacedIngressAsync((V1Ingress)o, o.Name(), ns, cancellationToken: ct),
            (k, ns, n, ct) => k.NetworkingV1.DeleteNamespacedIngressAsync(n, ns, cancellationToken: ct),
            async (k, ns, s, ct) => (await k.NetworkingV1.ListNamespacedIngressAsync(ns, labelSelector: s, cancellationToken: ct).ConfigureAwait(false)).Items.ToList<IKubernetesObject<V1ObjectMeta>>()),
    ];

    /// <summary>A Service's delete is answered with a Status, not the Service the client expects to read: the delete succeeded.</summary>
    private static async Task DeleteServiceAsync(IKubernetes client, string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            await client.CoreV1.DeleteNamespacedServiceAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (System.Text.Json.JsonException)
        {
        }
    }

    public static ObjectKind? Find(string? apiVersion, string? kind) =>
        All.FirstOrDefault(k => k.ApiVersion == apiVersion && k.Kind == kind);

    public static ObjectKind ByKind(string kind) => All.First(k => k.Kind == kind);

    /// <summary>"ConfigMap, Secret, … (apps/v1 Deployment, …)" for error messages.</summary>
    public static string Supported => string.Join(", ", All.Select(k => $"{k.ApiVersion} {k.Kind}"));
}
