using System.Globalization;
using k8s.Models;

namespace DevSpaces.Core.Connect;

/// <summary>
/// The original container's probes as the agent gets them when the user opts out of the agent answering its own:
/// HTTP and TCP probes keep their settings and aim at the same container port, which the agent listens on and
/// carries to the local process. Exec (and gRPC) probes cannot be carried and are dropped, with a warning each.
/// </summary>
/// <param name="Readiness">The forwarded readiness probe, or null.</param>
/// <param name="Liveness">The forwarded liveness probe, or null.</param>
/// <param name="Startup">The forwarded startup probe, or null.</param>
/// <param name="Ports">Container ports the probes use, by number: the agent listens on them too.</param>
/// <param name="Warnings">One line per probe that could not be forwarded.</param>
public sealed record ForwardedProbes(V1Probe? Readiness, V1Probe? Liveness, V1Probe? Startup, IReadOnlyList<int> Ports, IReadOnlyList<string> Warnings)
{
    public static ForwardedProbes From(V1Container container)
    {
        var ports = new List<int>();
        var warnings = new List<string>();

        V1Probe? Forward(V1Probe? probe, string kind)
        {
            if (probe is null)
            {
                return null;
            }

            if (probe.HttpGet is null && probe.TcpSocket is null)
            {
                var how = probe.Exec != null ? $"runs a command ({string.Join(" ", probe.Exec.Command ?? [])})" : "is neither an HTTP nor a TCP probe";
                warnings.Add($"The {kind} probe of container {container.Name} {how}, which cannot run against the local process; the agent runs without a {kind} probe.");
                return null;
            }

            var target = probe.HttpGet?.Port ?? probe.TcpSocket!.Port;
            if (!TryResolve(container, target, out var number))
            {
                warnings.Add($"The {kind} probe of container {container.Name} uses port '{target.Value}', which the container does not declare; the agent runs without a {kind} probe.");
                return null;
            }

            if (!ports.Contains(number))
            {
                ports.Add(number);
            }

            var port = number.ToString(CultureInfo.InvariantCulture);
            return new V1Probe
            {
                HttpGet = probe.HttpGet is { } http
                    ? new V1HTTPGetAction { Path = http.Path, Port = port, Scheme = http.Scheme, Host = http.Host, HttpHeaders = http.HttpHeaders }
                    : null,
                TcpSocket = probe.HttpGet is null ? new V1TCPSocketAction { Port = port, Host = probe.TcpSocket!.Host } : null,
                InitialDelaySeconds = probe.InitialDelaySeconds,
                PeriodSeconds = probe.PeriodSeconds,
                TimeoutSeconds = probe.TimeoutSeconds,
                SuccessThreshold = probe.SuccessThreshold,
                FailureThreshold = probe.FailureThreshold,
            };
        }

        var readiness = Forward(container.ReadinessProbe, "readiness");
        var liveness = Forward(container.LivenessProbe, "liveness");
        var startup = Forward(container.StartupProbe, "startup");
        return new ForwardedProbes(readiness, liveness, startup, ports, warnings);
    }

    private static bool TryResolve(V1Container container, IntOrString target, out int number)
    {
        if (int.TryParse(target.Value, NumberStyles.None, CultureInfo.InvariantCulture, out number))
        {
            return true;
        }

        var named = container.Ports?.FirstOrDefault(p => p.Name == target.Value);
        number = named?.ContainerPort ?? 0;
        return named != null;
    }
}
