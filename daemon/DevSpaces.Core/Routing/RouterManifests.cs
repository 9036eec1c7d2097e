using k8s.Models;

namespace DevSpaces.Core.Routing;

/// <summary>The objects routing puts into the cluster: the router (least privilege) and what each fronted Service becomes.</summary>
public static class RouterManifests
{
    private static readonly string[] ReadVerbs = ["get", "list", "watch"];

    public static Dictionary<string, string> Labels(string part) => new()
    {
        ["app.kubernetes.io/name"] = RoutingNames.Router,
        ["app.kubernetes.io/managed-by"] = "devspaces",
        [RoutingNames.PartLabel] = part,
    };

    public static Dictionary<string, string> Selector => new() { [RoutingNames.RouterLabel] = "true" };

    public static V1ServiceAccount ServiceAccount() => new()
    {
        Metadata = new V1ObjectMeta { Name = RoutingNames.Router, Labels = Labels("router") },
    };

    /// <summary>The router's rights in the root: read its routing ConfigMap and the Services and Endpoints, nothing else.</summary>
    public static V1Role RootRole() => new()
    {
        Metadata = new V1ObjectMeta { Name = RoutingNames.Router, Labels = Labels("router") },
        Rules =
        [
            new V1PolicyRule { ApiGroups = [""], Resources = ["services", "endpoints", "configmaps"], Verbs = ReadVerbs },
        ],
    };

    /// <summary>The router's rights in a child space: read its Services and Endpoints.</summary>
    public static V1Role ReaderRole() => new()
    {
        Metadata = new V1ObjectMeta { Name = RoutingNames.ChildReader, Labels = Labels("reader") },
        Rules = [new V1PolicyRule { ApiGroups = [""], Resources = ["services", "endpoints"], Verbs = ReadVerbs }],
    };

    public static V1RoleBinding Binding(string name, string root, string part) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = Labels(part) },
        RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = name },
        Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = RoutingNames.Router, NamespaceProperty = root }],
    };

    public static V1ConfigMap ConfigMap(RouterConfig config, IEnumerable<RoutedSpace> spaces) => new()
    {
        Metadata = new V1ObjectMeta { Name = RoutingNames.ConfigMap, Labels = Labels("routes") },
        Data = new Dictionary<string, string>
        {
            [RoutingNames.RoutesKey] = config.ToJson(),
            [RoutingNames.SpacesKey] = RouterConfig.SpacesToJson(spaces),
        },
    };

    public static V1Deployment Deployment(RouterConfig config, string image)
    {
        var labels = Labels("router");
        foreach (var (key, value) in Selector)
        {
            labels[key] = value;
        }

        var ports = new List<V1ContainerPort>
        {
            new() { Name = "admin", ContainerPort = RoutingNames.AdminPort, Protocol = "TCP" },
            new() { Name = "entry", ContainerPort = RoutingNames.EntryPort, Protocol = "TCP" },
        };
        ports.AddRange(config.Routes.Select(r => new V1ContainerPort { ContainerPort = r.Listen, Protocol = "TCP" }));
        return new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = RoutingNames.Router, Labels = Labels("router") },
            Spec = new V1DeploymentSpec
            {
                Replicas = 1,
                Selector = new V1LabelSelector { MatchLabels = Selector },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = labels },
                    Spec = new V1PodSpec
                    {
                        ServiceAccountName = RoutingNames.Router,
                        TerminationGracePeriodSeconds = 5,
                        SecurityContext = new V1PodSecurityContext { RunAsNonRoot = true, RunAsUser = 10001, RunAsGroup = 10001 },
                        Containers =
                        [
                            new V1Container
                            {
                                Name = "router",
                                Image = image,
                                ImagePullPolicy = "IfNotPresent",
                                Env = [new V1EnvVar { Name = RouterEnvironment.Routes, Value = config.ToJson() }],
                                Ports = ports,
                                ReadinessProbe = new V1Probe
                                {
                                    HttpGet = new V1HTTPGetAction { Path = "/healthz", Port = RoutingNames.AdminPort },
                                    PeriodSeconds = 1,
                                },
                                Resources = new V1ResourceRequirements
                                {
                                    Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("10m"), ["memory"] = new("48Mi") },
                                    Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new("192Mi") },
                                },
                                SecurityContext = new V1SecurityContext
                                {
                                    AllowPrivilegeEscalation = false,
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

    /// <summary>The router's own Service: the space URLs on a node port.</summary>
    public static V1Service EntryService() => new()
    {
        Metadata = new V1ObjectMeta { Name = RoutingNames.Router, Labels = Labels("router") },
        Spec = new V1ServiceSpec
        {
            Type = "NodePort",
            Selector = Selector,
            // Kubernetes 1.20 applies list entries only with every key field given, protocol included.
            Ports = [new V1ServicePort { Name = "http", Port = 80, TargetPort = RoutingNames.EntryPort, Protocol = "TCP" }],
        },
    };

    /// <summary>The Service reaching the root's own pods of a fronted Service: its original selector and ports.</summary>
    public static V1Service Baseline(string service, V1ServiceSpec original) => new()
    {
        Metadata = new V1ObjectMeta { Name = RoutePlanner.BaselineName(service), Labels = Labels("baseline") },
        Spec = new V1ServiceSpec
        {
            Selector = new Dictionary<string, string>(original.Selector),
            Ports = original.Ports.Select(p => new V1ServicePort { Name = p.Name, Port = p.Port, TargetPort = p.TargetPort, Protocol = p.Protocol ?? "TCP" }).ToList(),
        },
    };

    /// <summary>The spec a fronted Service has while routed: the router's pods, each port on the router's port for it.</summary>
    public static V1ServiceSpec Fronted(V1ServiceSpec current, RouterConfig config, string service)
    {
        var spec = k8s.KubernetesJson.Deserialize<V1ServiceSpec>(k8s.KubernetesJson.Serialize(current));
        spec.Selector = Selector;
        foreach (var port in spec.Ports)
        {
            var route = config.Routes.First(r => r.Service == service && r.Port == port.Port);
            port.TargetPort = route.Listen;
        }

        return spec;
    }
}
