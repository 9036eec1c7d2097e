using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DevSpaces.Core.Cluster;
using k8s;
using k8s.Models;

namespace DevSpaces.Core.Connect;

/// <summary>
/// The environment the local process gets: the container's own (env with <c>$(VAR)</c> expansion, envFrom
/// ConfigMaps/Secrets, valueFrom), the Kubernetes service variables of the space pointing at the local endpoints,
/// and URLs in values that name a Service of the space rewritten to its local endpoint, so that
/// <c>http://quotes</c> works without editing the hosts file.
/// </summary>
public sealed partial class ConnectEnvironment(ClusterConnection cluster)
{
    public async Task<(IReadOnlyDictionary<string, string> Variables, IReadOnlyList<string> Warnings)> BuildAsync(
        TakeoverPlan plan, IReadOnlyList<OutboundEndpoint> endpoints, int localPort, CancellationToken cancellationToken)
    {
        var ns = plan.Namespace;
        var warnings = new List<string>();
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var configMaps = new Dictionary<string, V1ConfigMap?>();
        var secrets = new Dictionary<string, V1Secret?>();

        async Task<V1ConfigMap?> ConfigMapAsync(string name)
        {
            if (!configMaps.TryGetValue(name, out var map))
            {
                map = await cluster.TryCallAsync(new ClusterOperation("get", "configmaps", name, ns),
                    (c, ct) => c.CoreV1.ReadNamespacedConfigMapAsync(name, ns, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
                configMaps[name] = map;
            }

            return map;
        }

        async Task<V1Secret?> SecretAsync(string name)
        {
            if (!secrets.TryGetValue(name, out var secret))
            {
                secret = await cluster.TryCallAsync(new ClusterOperation("get", "secrets", name, ns),
                    (c, ct) => c.CoreV1.ReadNamespacedSecretAsync(name, ns, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
                secrets[name] = secret;
            }

            return secret;
        }

        // Kubernetes order: service variables first, then envFrom, then env (later entries win).
        if (plan.Workload.Template.Spec.EnableServiceLinks != false)
        {
            foreach (var (name, value) in ServiceVariables(endpoints.Where(e => e.Namespace == ns), plan.ServiceName, plan.Ports, localPort))
            {
                result[name] = value;
            }
        }

        foreach (var source in plan.Container.EnvFrom ?? [])
        {
            var prefix = source.Prefix ?? "";
            if (source.ConfigMapRef is { } cmRef)
            {
                var map = await ConfigMapAsync(cmRef.Name).ConfigureAwait(false);
                if (map == null)
                {
                    warnings.Add($"envFrom ConfigMap '{cmRef.Name}' does not exist{(cmRef.Optional == true ? " (optional)" : "; the pod would not start either")}.");
                    continue;
                }

                foreach (var (key, value) in map.Data ?? new Dictionary<string, string>())
                {
                    result[prefix + key] = value;
                }
            }

            if (source.SecretRef is { } secretRef)
            {
                var secret = await SecretAsync(secretRef.Name).ConfigureAwait(false);
                if (secret == null)
                {
                    warnings.Add($"envFrom Secret '{secretRef.Name}' does not exist{(secretRef.Optional == true ? " (optional)" : "; the pod would not start either")}.");
                    continue;
                }

                foreach (var (key, value) in secret.Data ?? new Dictionary<string, byte[]>())
                {
                    result[prefix + key] = Encoding.UTF8.GetString(value);
                }
            }
        }

        foreach (var variable in plan.Container.Env ?? [])
        {
            if (variable.ValueFrom is not { } from)
            {
                result[variable.Name] = Expand(variable.Value ?? "", result);
                continue;
            }

            string? value = null;
            if (from.FieldRef is { } field)
            {
                value = FieldValue(field.FieldPath, plan);
            }
            else if (from.ConfigMapKeyRef is { } cmKey)
            {
                var map = await ConfigMapAsync(cmKey.Name).ConfigureAwait(false);
                value = map?.Data?.TryGetValue(cmKey.Key, out var v) == true ? v : null;
                if (value == null)
                {
                    warnings.Add($"{variable.Name}: key '{cmKey.Key}' of ConfigMap '{cmKey.Name}' does not exist.");
                }
            }
            else if (from.SecretKeyRef is { } secretKey)
            {
                var secret = await SecretAsync(secretKey.Name).ConfigureAwait(false);
                value = secret?.Data?.TryGetValue(secretKey.Key, out var v) == true ? Encoding.UTF8.GetString(v) : null;
                if (value == null)
                {
                    warnings.Add($"{variable.Name}: key '{secretKey.Key}' of Secret '{secretKey.Name}' does not exist.");
                }
            }
            else if (from.ResourceFieldRef is { } resource)
            {
                value = ResourceValue(resource, plan.Container);
            }

            if (value != null)
            {
                result[variable.Name] = value;
            }
        }

        foreach (var name in result.Keys.ToList())
        {
            result[name] = RewriteServiceUrls(result[name], endpoints, plan, localPort);
        }

        return (result, warnings);
    }

    /// <summary>The variables Kubernetes gives every container for each Service of its namespace, pointed at loopback.</summary>
    public static IEnumerable<(string Name, string Value)> ServiceVariables(IEnumerable<OutboundEndpoint> endpoints, string connected, IReadOnlyList<TakeoverPort> connectedPorts, int localPort)
    {
        var services = endpoints.GroupBy(e => e.Service).Select(g => (g.Key, Ports: g.Select(e => (e.PortName, e.LocalPort)).ToList())).ToList();
        if (services.All(s => s.Key != connected))
        {
            // The connected Service is served by the local process itself.
            services.Add((connected, connectedPorts.Select(p => (p.Name, localPort)).ToList()));
        }

        foreach (var (service, ports) in services)
        {
            var prefix = service.ToUpperInvariant().Replace('-', '_');
            var first = ports[0].LocalPort.ToString(CultureInfo.InvariantCulture);
            yield return ($"{prefix}_SERVICE_HOST", "127.0.0.1");
            yield return ($"{prefix}_SERVICE_PORT", first);
            yield return ($"{prefix}_PORT", $"tcp://127.0.0.1:{first}");
            foreach (var (name, port) in ports)
            {
                var text = port.ToString(CultureInfo.InvariantCulture);
                if (name != null)
                {
                    yield return ($"{prefix}_SERVICE_PORT_{name.ToUpperInvariant().Replace('-', '_')}", text);
                }

                var key = $"{prefix}_PORT_{text}_TCP";
                yield return (key, $"tcp://127.0.0.1:{text}");
                yield return ($"{key}_PROTO", "tcp");
                yield return ($"{key}_PORT", text);
                yield return ($"{key}_ADDR", "127.0.0.1");
            }
        }
    }

    /// <summary>Kubernetes' <c>$(VAR)</c> expansion: known names are replaced, <c>$$</c> escapes, unknown ones stay.</summary>
    public static string Expand(string value, IReadOnlyDictionary<string, string> defined) =>
        ReferencePattern().Replace(value, m => m.Value == "$$" ? "$" : defined.TryGetValue(m.Groups[1].Value, out var v) ? v : m.Value);

    /// <summary>
    /// Rewrites <c>scheme://service[.ns[.svc[.cluster.local]]][:port]</c> to the Service's local endpoint.
    /// </summary>
    public static string RewriteServiceUrls(string value, IReadOnlyList<OutboundEndpoint> endpoints, TakeoverPlan plan, int localPort) =>
        UrlPattern().Replace(value, m =>
        {
            var host = m.Groups["host"].Value;
            var parts = host.Split('.');
            var service = parts[0];
            var ns = parts.Length > 1 ? parts[1] : plan.Namespace;
            if (parts.Length > 2 && !host[(parts[0].Length + parts[1].Length + 2)..].StartsWith("svc", StringComparison.Ordinal))
            {
                return m.Value;
            }

            var scheme = m.Groups["scheme"].Value;
            var port = m.Groups["port"].Success
                ? int.Parse(m.Groups["port"].Value, CultureInfo.InvariantCulture)
                : scheme switch { "https" => 443, "http" => 80, _ => -1 };
            if (service == plan.ServiceName && ns == plan.Namespace)
            {
                return plan.Ports.Any(p => p.ServicePort == port) ? $"{scheme}://127.0.0.1:{localPort}" : m.Value;
            }

            var candidates = endpoints.Where(e => e.Service == service && (parts.Length > 1 ? e.Namespace == ns : true)).ToList();
            var endpoint = candidates.FirstOrDefault(e => e.ServicePort == port && e.Namespace == plan.Namespace)
                ?? candidates.FirstOrDefault(e => e.ServicePort == port)
                ?? (port == -1 && candidates.Count == 1 ? candidates[0] : null);
            return endpoint == null ? m.Value : $"{scheme}://127.0.0.1:{endpoint.LocalPort}";
        });

    internal static string? FieldValue(string path, TakeoverPlan plan)
    {
        var template = plan.Workload.Template;
        var labelMatch = Regex.Match(path, @"^metadata\.(labels|annotations)\['(.+)'\]$");
        if (labelMatch.Success)
        {
            var source = labelMatch.Groups[1].Value == "labels" ? template.Metadata?.Labels : template.Metadata?.Annotations;
            return source?.TryGetValue(labelMatch.Groups[2].Value, out var v) == true ? v : null;
        }

        return path switch
        {
            "metadata.namespace" => plan.Namespace,
            "metadata.name" => $"{plan.Workload.Name}-local",
            "metadata.uid" => "",
            "spec.nodeName" => Environment.MachineName,
            "spec.serviceAccountName" => template.Spec.ServiceAccountName ?? "default",
            "status.hostIP" or "status.podIP" => "127.0.0.1",
            "status.podIPs" => "127.0.0.1",
            _ => null,
        };
    }

    internal static string? ResourceValue(V1ResourceFieldSelector selector, V1Container container)
    {
        var parts = selector.Resource.Split('.', 2);
        var source = parts[0] == "limits" ? container.Resources?.Limits : container.Resources?.Requests;
        if (parts.Length < 2 || source?.TryGetValue(parts[1], out var quantity) != true)
        {
            return null;
        }

        var divisor = selector.Divisor?.ToDecimal() ?? 1m;
        var amount = quantity!.ToDecimal() / (divisor == 0 ? 1 : divisor);
        return Math.Ceiling(amount).ToString(CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)")]
    private static partial Regex ReferencePattern();

    [GeneratedRegex(@"(?<scheme>[a-z][a-z0-9+.-]*)://(?<host>[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9-]+)*)(:(?<port>\d{1,5}))?(?=[/?#]|$|\s)", RegexOptions.IgnoreCase)]
    private static partial Regex UrlPattern();
}
