using k8s.Models;

namespace DevSpaces.Core.Routing;

/// <summary>A Service of one space as the router can reach it: its cluster IP and its ports.</summary>
public sealed record RouteTarget(string Name, string ClusterIp, IReadOnlyList<(string? Name, int Port)> Ports)
{
    /// <summary>
    /// The Service as a routing destination, or null when it is none: an ExternalName Service (it would send the
    /// routing key outside the cluster), a headless one or one without a cluster IP yet.
    /// </summary>
    public static RouteTarget? From(V1Service service)
    {
        var spec = service.Spec;
        if (spec is null || spec.Type == "ExternalName" || string.IsNullOrEmpty(spec.ClusterIP) || spec.ClusterIP == "None")
        {
            return null;
        }

        return new RouteTarget(
            service.Metadata.Name,
            spec.ClusterIP,
            (spec.Ports ?? []).Where(p => p.Protocol is null or "TCP").Select(p => (string.IsNullOrEmpty(p.Name) ? null : p.Name, p.Port)).ToList());
    }

    /// <summary>The port of this Service that plays the part of <paramref name="routed"/>: the same name, else the same number.</summary>
    public int? PortFor(RoutedPort routed)
    {
        if (routed.PortName is not null)
        {
            foreach (var (name, port) in Ports)
            {
                if (name == routed.PortName)
                {
                    return port;
                }
            }
        }

        foreach (var (_, port) in Ports)
        {
            if (port == routed.Port)
            {
                return port;
            }
        }

        return null;
    }
}
