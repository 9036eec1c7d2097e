using DevSpaces.Core.PortForwarding;
using DevSpaces.Tunnel.Takeover;
using k8s.Models;

namespace DevSpaces.Core.Connect;

/// <summary>
/// Decides what a takeover of a Service changes: the one workload whose pods the Service selects (agents left out),
/// the container to stand in for, and each TCP port's target in that container. Reads only; changes nothing.
/// </summary>
public sealed class TakeoverPlanner(IWorkloadReader workloads)
{
    /// <summary>Finds the workload, container and ports behind <paramref name="service"/>.</summary>
    public async Task<TakeoverPlan> PlanAsync(string ns, string service, string? containerName, CancellationToken cancellationToken)
    {
        var svc = await workloads.ReadServiceAsync(ns, service, cancellationToken).ConfigureAwait(false)
            ?? throw ConnectErrors.ServiceNotFound(service, ns);

        // A Service the root's router fronts selects the router: it is planned as its app defined it, by the spec
        // routing recorded (the same selector and ports the baseline Service keeps).
        if (Routing.RoutePlanner.OriginalSpec(svc) is { } original)
        {
            svc = new V1Service { ApiVersion = svc.ApiVersion, Kind = svc.Kind, Metadata = svc.Metadata, Spec = original };
        }

        // A Service whose selector a session changed (the original kept running) is planned by its recorded selector.
        var selector = ServiceTakeover.RecordOf(svc.Metadata)?.ServiceSelector is { } recorded ? new Dictionary<string, string>(recorded) : svc.Spec.Selector;
        if (selector is null || selector.Count == 0)
        {
            throw ConnectErrors.NoSelector(service, ns);
        }

        var candidates = (await workloads.ListDeploymentsAsync(ns, cancellationToken).ConfigureAwait(false)).ToList();
        Errors.DevSpacesException? cannotList = null;
        try
        {
            candidates.AddRange(await workloads.ListStatefulSetsAsync(ns, cancellationToken).ConfigureAwait(false));
        }
        catch (Errors.DevSpacesException e) when (e.ErrorCode == Contracts.RpcErrorCode.Forbidden)
        {
            // Someone who may not list StatefulSets can still connect a Deployment; said only if no Deployment matches.
            cannotList = e;
        }

        var matching = candidates
            .Where(w => w.Metadata.Labels?.ContainsKey(TakeoverNames.AgentLabel) != true)
            .Where(w => selector.All(s => w.Template.Metadata?.Labels?.TryGetValue(s.Key, out var v) == true && v == s.Value))
            .ToList();
        var workload = matching.Count switch
        {
            0 => throw cannotList ?? ConnectErrors.NoWorkload(service, ns, LabelSelectorText.From(selector)),
            1 => matching[0],
            _ => throw ConnectErrors.SeveralWorkloads(service, ns, matching.Select(w => $"{w.Kind.ToLowerInvariant()}/{w.Name}")),
        };

        var containers = workload.Template.Spec.Containers;
        var tcp = svc.Spec.Ports?.Where(p => p.Protocol is null or "TCP").ToList() ?? [];
        if (tcp.Count == 0)
        {
            throw ConnectErrors.NoTcpPorts(service, svc.Spec.Ports?.Select(p => $"{p.Port}/{p.Protocol}") ?? []);
        }

        // Connect carries TCP only: the other ports are said out loud, not silently dropped.
        var warnings = svc.Spec.Ports!.Where(p => p.Protocol is not (null or "TCP"))
            .Select(p => $"Port {p.Name ?? p.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)} ({p.Port}/{p.Protocol}) of service {service} is not carried: connect carries TCP only, so its {p.Protocol} clients get no answer while connected.")
            .ToList();

        V1Container container;
        if (containerName != null)
        {
            container = containers.FirstOrDefault(c => c.Name == containerName)
                ?? throw ConnectErrors.ContainerNotFound(workload, containerName, [.. containers.Select(c => c.Name)]);
        }
        else if (containers.Count == 1)
        {
            container = containers[0];
        }
        else
        {
            var serving = containers.Where(c => tcp.Any(p => Declares(c, p.TargetPort ?? p.Port))).ToList();
            container = serving.Count == 1 ? serving[0] : throw ConnectErrors.ContainerAmbiguous(workload, [.. containers.Select(c => c.Name)]);
        }

        var ports = tcp.Select(p => Resolve(service, p, container)).ToList();
        return new TakeoverPlan(ns, svc, workload, container, ports) { Warnings = warnings };
    }

    private static bool Declares(V1Container container, IntOrString target) =>
        container.Ports?.Any(p => target.Value == p.Name || target.Value == p.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture)) == true;

    private static TakeoverPort Resolve(string service, V1ServicePort port, V1Container container)
    {
        var target = port.TargetPort?.Value ?? port.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (int.TryParse(target, out var number))
        {
            return new TakeoverPort(port.Name, port.Port, number, null);
        }

        var named = container.Ports?.FirstOrDefault(p => p.Name == target) ?? throw ConnectErrors.NamedPortNotFound(service, target, container.Name);
        return new TakeoverPort(port.Name, port.Port, named.ContainerPort, target);
    }
}
