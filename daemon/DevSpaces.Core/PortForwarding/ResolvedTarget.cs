using DevSpaces.Contracts;
using DevSpaces.Core.Errors;
using k8s.Models;

namespace DevSpaces.Core.PortForwarding;

/// <summary>A target resolved to the pods that serve it and to how its remote ports map to container ports.</summary>
public sealed class ResolvedTarget(PortForwardTarget target, PodSelection selection, V1Service? service)
{
    public PortForwardTarget Target { get; } = target;

    public PodSelection Selection { get; } = selection;

    /// <summary>
    /// Checks that <paramref name="remotePort"/> exists on the target without needing a pod (service ports are
    /// known up front; named container ports are checked per pod).
    /// </summary>
    public void Validate(string remotePort)
    {
        if (service is not null)
        {
            FindServicePort(remotePort);
        }
    }

    /// <summary>The container port number on <paramref name="pod"/> that <paramref name="remotePort"/> reaches.</summary>
    public int ResolveContainerPort(string remotePort, V1Pod pod)
    {
        if (service is null)
        {
            return int.TryParse(remotePort, out var number) ? number : FindNamedContainerPort(remotePort, pod);
        }

        var servicePort = FindServicePort(remotePort);
        var targetPort = servicePort.TargetPort?.Value;
        if (string.IsNullOrEmpty(targetPort))
        {
            return servicePort.Port;
        }

        return int.TryParse(targetPort, out var targetNumber) ? targetNumber : FindNamedContainerPort(targetPort, pod);
    }

    private V1ServicePort FindServicePort(string remotePort)
    {
        var ports = service!.Spec.Ports ?? [];
        var match = int.TryParse(remotePort, out var number)
            ? ports.FirstOrDefault(p => p.Port == number)
            : ports.FirstOrDefault(p => p.Name == remotePort);
        return match ?? throw new DevSpacesException(
            RpcErrorCode.UnknownRemotePort,
            $"Service {service.Metadata.Name} has no port {remotePort}.",
            $"Its ports are: {string.Join(", ", ports.Select(p => p.Name is null ? $"{p.Port}" : $"{p.Port} ({p.Name})"))}.");
    }

    private static int FindNamedContainerPort(string name, V1Pod pod)
    {
        var ports = pod.Spec.Containers.SelectMany(c => c.Ports ?? []).ToList();
        var match = ports.FirstOrDefault(p => p.Name == name);
        return match?.ContainerPort ?? throw new DevSpacesException(
            RpcErrorCode.UnknownRemotePort,
            $"Pod {pod.Metadata.Name} has no container port named '{name}'.",
            ports.Count == 0
                ? "Its containers declare no ports; use a port number."
                : $"Its named ports are: {string.Join(", ", ports.Where(p => p.Name is not null).Select(p => $"{p.Name} ({p.ContainerPort})"))}.");
    }
}
