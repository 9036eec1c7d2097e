using DevSpaces.Contracts;
using DevSpaces.Tunnel.Takeover;
using k8s.Models;

namespace DevSpaces.Core.Connect;

/// <summary>
/// The workload whose pods serve a Service: a Deployment or a StatefulSet, by kind and name, with what a takeover
/// reads of it (its metadata, replicas and pod template), which is the same for both kinds.
/// </summary>
/// <param name="Kind"><see cref="TakeoverNames.DeploymentKind"/> or <see cref="TakeoverNames.StatefulSetKind"/>.</param>
public sealed record Workload(string Kind, V1ObjectMeta Metadata, int Replicas, V1PodTemplateSpec Template)
{
    public string Name => Metadata.Name;

    /// <summary>The API resource: <c>deployments</c> or <c>statefulsets</c>.</summary>
    public string Resource => ResourceOf(Kind);

    /// <summary>How a message names it: <c>deployment api</c>.</summary>
    public override string ToString() => $"{Kind.ToLowerInvariant()} {Name}";

    public static Workload Of(V1Deployment deployment) =>
        new(TakeoverNames.DeploymentKind, deployment.Metadata, deployment.Spec.Replicas ?? 1, deployment.Spec.Template);

    public static Workload Of(V1StatefulSet set) =>
        new(TakeoverNames.StatefulSetKind, set.Metadata, set.Spec.Replicas ?? 1, set.Spec.Template);

    public static string ResourceOf(string kind) => kind == TakeoverNames.StatefulSetKind ? "statefulsets" : "deployments";

    /// <summary>On the wire: the kind and the name.</summary>
    public WorkloadInfo ToInfo() => new(Kind == TakeoverNames.StatefulSetKind ? WorkloadKind.StatefulSet : WorkloadKind.Deployment, Name);
}
