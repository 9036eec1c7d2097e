using System.Globalization;
using System.Text;
using DevSpaces.Core.Images;
using DevSpaces.Tunnel.Takeover;
using k8s.Models;

namespace DevSpaces.Core.Connect;

/// <summary>The objects of a connect session: the Secret (owner of the rest), RBAC for the agent, the agent Deployment.</summary>
public static class AgentManifests
{
    private static Dictionary<string, string> Labels(string session, string deployment) => new()
    {
        [TakeoverNames.SessionLabel] = session,
        [TakeoverNames.AgentLabel] = deployment,
        ["app.kubernetes.io/managed-by"] = "devspaces",
    };

    private static V1ObjectMeta Meta(string name, string session, TakeoverPlan plan, V1OwnerReference? owner) => new()
    {
        Name = name,
        NamespaceProperty = plan.SessionNamespace,
        Labels = Labels(session, plan.Workload.Name),
        OwnerReferences = owner is null ? null : [owner],
    };

    public static V1Secret SessionSecret(TakeoverPlan plan, TakeoverRecord record, string sessionKey) => new()
    {
        Metadata = Meta(TakeoverNames.SessionSecret(plan.Workload.Name), record.Session, plan, null),
        Type = "Opaque",
        Data = new Dictionary<string, byte[]>
        {
            [TakeoverNames.SessionKeyField] = Encoding.ASCII.GetBytes(sessionKey),
            [TakeoverNames.RecordField] = Encoding.UTF8.GetBytes(record.ToJson()),
        },
    };

    public static V1ServiceAccount ServiceAccount(TakeoverPlan plan, string session, V1OwnerReference owner) => new()
    {
        Metadata = Meta(TakeoverNames.AgentAccess(plan.Workload.Name, session), session, plan, owner),
    };

    /// <summary>
    /// Just enough to restore: read and patch the workload and the Service, read the Service's endpoints (to see the
    /// traffic move back), delete the agent Deployment and the session Secret. Isolated, in the child space: read the
    /// workload's name (there is none there, and the restore looks), read and delete the session's own Service; nothing
    /// in the parent spaces.
    /// </summary>
    public static V1Role Role(TakeoverPlan plan, string session, V1OwnerReference owner)
    {
        var isolated = plan.IsolatedIn != null;
        List<V1PolicyRule> rules =
        [
            new V1PolicyRule { ApiGroups = ["apps"], Resources = [plan.Workload.Kind == TakeoverNames.StatefulSetKind ? "statefulsets" : "deployments"], ResourceNames = [plan.Workload.Name], Verbs = isolated ? ["get"] : ["get", "patch"] },
            new V1PolicyRule { ApiGroups = ["apps"], Resources = ["deployments"], ResourceNames = [TakeoverNames.Agent(plan.Workload.Name)], Verbs = ["delete"] },
            new V1PolicyRule { ApiGroups = [""], Resources = ["secrets"], ResourceNames = [TakeoverNames.SessionSecret(plan.Workload.Name)], Verbs = ["delete"] },
        ];
        if (isolated)
        {
            rules.Add(new V1PolicyRule { ApiGroups = [""], Resources = ["services"], ResourceNames = [plan.ServiceName], Verbs = ["get", "delete"] });
        }
        else
        {
            rules.Add(new V1PolicyRule { ApiGroups = [""], Resources = ["services"], ResourceNames = [plan.ServiceName], Verbs = ["get", "patch"] });
            rules.Add(new V1PolicyRule { ApiGroups = [""], Resources = ["endpoints"], ResourceNames = [plan.ServiceName], Verbs = ["get"] });
        }

        return new V1Role { Metadata = Meta(TakeoverNames.AgentAccess(plan.Workload.Name, session), session, plan, owner), Rules = rules };
    }

    public static V1RoleBinding RoleBinding(TakeoverPlan plan, string session, V1OwnerReference owner) => new()
    {
        Metadata = Meta(TakeoverNames.AgentAccess(plan.Workload.Name, session), session, plan, owner),
        RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = TakeoverNames.AgentAccess(plan.Workload.Name, session) },
        Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = TakeoverNames.AgentAccess(plan.Workload.Name, session), NamespaceProperty = plan.SessionNamespace }],
    };

    public static V1Deployment AgentDeployment(TakeoverPlan plan, string session, ImageDeliveryResult image, AgentSettings settings, V1OwnerReference owner)
    {
        var selectorLabels = new Dictionary<string, string> { [TakeoverNames.SessionLabel] = session, [TakeoverNames.AgentLabel] = plan.Workload.Name };

        // Only the session's labels, which the Service's selector is pointed at once the agent is ready (its named target
        // ports resolve against the ports declared below): until then the original pods serve, and other selectors of the
        // original pods never see the agent. Isolated, in the child space: the session's own Service selects them. A
        // Service the router fronts keeps its selector: the agent takes the original pods' labels, so the router's
        // baseline Service finds it next to them.
        var podLabels = plan.RouterFronted ? new Dictionary<string, string>(plan.Service.Spec.Selector) : [];
        foreach (var (key, value) in Labels(session, plan.Workload.Name))
        {
            podLabels[key] = value;
        }

        var ports = new List<V1ContainerPort>();
        foreach (var port in plan.Container.Ports?.Where(p => p.Protocol is null or "TCP") ?? [])
        {
            ports.Add(new V1ContainerPort { ContainerPort = port.ContainerPort, Name = port.Name, Protocol = "TCP" });
        }

        // By default the agent answers its own probes (a local process paused in a debugger kills nothing); opted out,
        // it gets the container's HTTP/TCP probes, which reach the local process through the tunnel.
        var forwarded = plan.ForwardProbes ? ForwardedProbes.From(plan.Container) : null;
        var listenOn = plan.Ports.Select(p => p.TargetPort).Concat(forwarded?.Ports ?? []).Distinct().ToList();
        foreach (var port in listenOn.Where(p => ports.All(c => c.ContainerPort != p)))
        {
            ports.Add(new V1ContainerPort { ContainerPort = port, Protocol = "TCP" });
        }

        ports.Add(new V1ContainerPort { ContainerPort = TakeoverNames.TunnelPort, Name = "ds-tunnel", Protocol = "TCP" });
        ports.Add(new V1ContainerPort { ContainerPort = TakeoverNames.HealthPort, Name = "ds-health", Protocol = "TCP" });
        var probe = new V1Probe { HttpGet = new V1HTTPGetAction { Port = TakeoverNames.HealthPort.ToString(CultureInfo.InvariantCulture), Path = "/healthz" }, PeriodSeconds = 2, TimeoutSeconds = 2 };

        // The Service's endpoints take the agent at its first passing readiness probe; probing every second (instead
        // of every 2 s) shortens the wait after the container starts.
        var readiness = new V1Probe { HttpGet = probe.HttpGet, PeriodSeconds = 1, TimeoutSeconds = 2 };
        string Seconds(TimeSpan t) => t.TotalSeconds.ToString(CultureInfo.InvariantCulture);

        return new V1Deployment
        {
            Metadata = new V1ObjectMeta
            {
                Name = TakeoverNames.Agent(plan.Workload.Name),
                NamespaceProperty = plan.SessionNamespace,
                Labels = Labels(session, plan.Workload.Name),
                OwnerReferences = [owner],
            },
            Spec = new V1DeploymentSpec
            {
                Replicas = 1,
                Selector = new V1LabelSelector { MatchLabels = selectorLabels },
                Strategy = new V1DeploymentStrategy { Type = "Recreate" },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = podLabels },
                    Spec = new V1PodSpec
                    {
                        ServiceAccountName = TakeoverNames.AgentAccess(plan.Workload.Name, session),
                        // Longer than the agent's drain (AgentHost.DrainTimeout): leaving, it ends each carried connection after an answer.
                        TerminationGracePeriodSeconds = 15,
                        EnableServiceLinks = false,
                        SecurityContext = new V1PodSecurityContext { RunAsNonRoot = true, RunAsUser = 10001, RunAsGroup = 10001 },
                        Containers =
                        [
                            new V1Container
                            {
                                Name = "devspaces-agent",
                                Image = image.Reference,

                                // An image on the node's own engine is never pulled: a missing one fails at once (ErrImageNeverPull).
                                ImagePullPolicy = image.Pushed ? "IfNotPresent" : "Never",
                                Ports = ports,
                                Env =
                                [
                                    new V1EnvVar { Name = "DEVSPACES_NAMESPACE", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.namespace" } } },
                                    new V1EnvVar { Name = "DEVSPACES_WORKLOAD", Value = plan.Workload.Name },
                                    new V1EnvVar { Name = "DEVSPACES_WORKLOAD_KIND", Value = plan.Workload.Kind },
                                    new V1EnvVar { Name = "DEVSPACES_SESSION", Value = session },
                                    new V1EnvVar { Name = "DEVSPACES_SESSION_KEY", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Key = TakeoverNames.SessionKeyField, Name = TakeoverNames.SessionSecret(plan.Workload.Name) } } },
                                    new V1EnvVar { Name = "DEVSPACES_PORTS", Value = string.Join(",", listenOn) },
                                    new V1EnvVar { Name = "DEVSPACES_HEARTBEAT_TIMEOUT", Value = Seconds(settings.HeartbeatTimeout) },
                                    new V1EnvVar { Name = "DEVSPACES_FIRST_CONTACT_TIMEOUT", Value = Seconds(settings.FirstContactTimeout) },
                                    .. plan.IsolatedIn != null ? [new V1EnvVar { Name = "DEVSPACES_ISOLATED_SERVICE", Value = plan.ServiceName }] : Array.Empty<V1EnvVar>(),
                                ],
                                ReadinessProbe = forwarded == null ? readiness : forwarded.Readiness,
                                LivenessProbe = forwarded == null ? probe : forwarded.Liveness,
                                StartupProbe = forwarded?.Startup,

                                // A whole core at most: the agent's start (JIT of the tunnel's first calls) is on the set-up's critical path.
                                Resources = new V1ResourceRequirements
                                {
                                    Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("10m"), ["memory"] = new("32Mi") },
                                    Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1"), ["memory"] = new("128Mi") },
                                },
                                SecurityContext = new V1SecurityContext
                                {
                                    AllowPrivilegeEscalation = false,
                                    RunAsNonRoot = true,
                                    ReadOnlyRootFilesystem = true,
                                    Capabilities = new V1Capabilities { Drop = ["ALL"] },
                                },
                            },
                        ],
                    },
                },
            },
        };
    }

    /// <summary>
    /// An isolated session's version of the Service in the child space: the same name and ports (names and numbers,
    /// which the router matches) as the parent's, each sending to the agent's port for it, selecting the session's
    /// agent pods only. Owned by the session Secret, so it cannot outlive the session even if a restore missed it.
    /// </summary>
    public static V1Service IsolatedService(TakeoverPlan plan, string session, V1OwnerReference owner)
    {
        var labels = Labels(session, plan.Workload.Name);
        labels[TakeoverNames.IsolatedLabel] = plan.Namespace;
        return new V1Service
        {
            Metadata = new V1ObjectMeta { Name = plan.ServiceName, NamespaceProperty = plan.SessionNamespace, Labels = labels, OwnerReferences = [owner] },
            Spec = new V1ServiceSpec
            {
                Selector = new Dictionary<string, string> { [TakeoverNames.SessionLabel] = session },
                Ports = [.. plan.Ports.Select(p => new V1ServicePort { Name = p.Name, Port = p.ServicePort, TargetPort = p.TargetPort, Protocol = "TCP" })],
            },
        };
    }
}
