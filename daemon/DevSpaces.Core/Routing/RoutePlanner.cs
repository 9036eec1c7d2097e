using System.Security.Cryptography;
using System.Text;
using DevSpaces.Contracts;
using DevSpaces.Core.Errors;
using k8s;
using k8s.Models;

namespace DevSpaces.Core.Routing;

/// <summary>
/// Decides which Services of a root space the router fronts and on which of its ports. A Service is fronted when it
/// selects pods (a selector, a cluster IP, not ExternalName), carries only TCP and has at least one HTTP port: one
/// whose appProtocol is http, h2c or ws, or whose name is <c>http</c>, <c>web</c> or starts with <c>http-</c>, or an unnamed port 80 or 8080. Its
/// other TCP ports are passed through to the baseline.
/// </summary>
public static class RoutePlanner
{
    public static RoutePlan Plan(string root, IReadOnlyList<V1Service> services, string? host, string? entry)
    {
        var fronted = new List<(V1Service, V1ServiceSpec)>();
        var skipped = new List<string>();
        var routes = new List<RoutedPort>();
        foreach (var service in services.OrderBy(s => s.Metadata.Name, StringComparer.Ordinal))
        {
            if (service.Metadata.Labels?.ContainsKey(RoutingNames.PartLabel) == true)
            {
                continue;
            }

            // A Service fronted before keeps its original spec from then.
            var original = OriginalSpec(service) ?? service.Spec;
            var why = WhyNot(original);
            if (why is not null)
            {
                skipped.Add($"{service.Metadata.Name}: {why}");
                continue;
            }

            foreach (var port in original.Ports)
            {
                routes.Add(new RoutedPort(service.Metadata.Name, string.IsNullOrEmpty(port.Name) ? null : port.Name, port.Port, RoutingNames.FirstRoutePort + routes.Count, IsHttp(port), BaselineName(service.Metadata.Name), IsH2c(port)));
            }

            fronted.Add((service, original));
        }

        if (fronted.Count == 0)
        {
            throw new DevSpacesException(
                RpcErrorCode.NothingToRoute,
                $"Root space '{root}' has no Service the router can front{(skipped.Count > 0 ? $" ({string.Join("; ", skipped)})" : "")}.",
                "Deploy the app first; a routed Service selects pods and has an HTTP port (named 'http', 'web' or 'http-…', or appProtocol http).");
        }

        var entryRoute = entry is null ? DefaultEntry(fronted, routes) : routes.FirstOrDefault(r => r.Http && r.Service == entry)
            ?? throw new DevSpacesException(
                RpcErrorCode.NothingToRoute,
                $"'{entry}' is not a routed HTTP Service of '{root}'; routed: {string.Join(", ", routes.Where(r => r.Http).Select(r => r.Service).Distinct())}.",
                "Name one of the routed Services with --entry.");
        var config = new RouterConfig(root, string.IsNullOrWhiteSpace(host) ? $"{root}.localhost" : host.Trim().ToLowerInvariant(), routes, entryRoute?.Service, entryRoute?.Port ?? 0);
        return new RoutePlan(config, fronted, skipped);
    }

    /// <summary>The spec a fronted Service had before routing, from its annotation; null when it is not fronted.</summary>
    public static V1ServiceSpec? OriginalSpec(V1Service service) =>
        service.Metadata.Annotations?.TryGetValue(RoutingNames.OriginalSpecAnnotation, out var json) == true
            ? KubernetesJson.Deserialize<V1ServiceSpec>(json)
            : null;

    /// <summary>The Service in the root that keeps reaching the root's own pods of <paramref name="service"/>.</summary>
    public static string BaselineName(string service)
    {
        var name = $"devspaces-base-{service}";
        if (name.Length <= 63)
        {
            return name;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(service)))[..8];
        return $"{name[..54]}-{hash}";
    }

    /// <summary>HTTP/2 without TLS (gRPC): clients speak it with prior knowledge, so the router's port takes only HTTP/2.</summary>
    public static bool IsH2c(V1ServicePort port) => port.AppProtocol?.ToLowerInvariant() is "h2c" or "kubernetes.io/h2c";

    public static bool IsHttp(V1ServicePort port) =>
        port.AppProtocol?.ToLowerInvariant() is "http" or "h2c" or "ws" or "kubernetes.io/h2c" or "kubernetes.io/ws"
        || port.Name is "http" or "web"
        || port.Name?.StartsWith("http-", StringComparison.Ordinal) == true
        || (string.IsNullOrEmpty(port.Name) && port.Port is 80 or 8080);

    private static string? WhyNot(V1ServiceSpec spec)
    {
        if (spec.Type == "ExternalName")
        {
            return "ExternalName";
        }

        if (spec.Selector is not { Count: > 0 })
        {
            return "no selector";
        }

        if (spec.ClusterIP == "None")
        {
            return "headless";
        }

        if (spec.Ports is not { Count: > 0 } || spec.Ports.Any(p => p.Protocol is not (null or "TCP")))
        {
            return "not TCP only";
        }

        return spec.Ports.Any(IsHttp) ? null : "no HTTP port";
    }

    private static RoutedPort? DefaultEntry(List<(V1Service Service, V1ServiceSpec Original)> fronted, List<RoutedPort> routes)
    {
        var exposed = fronted.FirstOrDefault(f => f.Original.Type is "NodePort" or "LoadBalancer").Service?.Metadata.Name;
        var http = routes.Where(r => r.Http).ToList();
        return exposed is not null ? http.FirstOrDefault(r => r.Service == exposed)
            : http.Select(r => r.Service).Distinct().Count() == 1 ? http[0] : null;
    }
}
