using System.Globalization;
using DevSpaces.Contracts;
using DevSpaces.Core.Cluster;
using DevSpaces.Core.Errors;
using DevSpaces.Core.Spaces;
using DevSpaces.Core.Workspace;
using k8s;
using k8s.Models;

namespace DevSpaces.Core.Services;

/// <summary>Lists the Kubernetes services of a space.</summary>
public sealed class ServiceCatalog(WorkspaceSession session) : IServiceRpc
{
    public async Task<ServiceList> ListServicesAsync(string? space = null, CancellationToken cancellationToken = default)
    {
        space ??= session.State.Space ?? throw new DevSpacesException(
            RpcErrorCode.NoSpaceSelected,
            "No space is selected, and none was named.",
            "Select one with 'devspaces space select <name>' or pass --space <name>.");
        SpaceName.Validate(space);
        var connection = session.Connect();
        var ns = await new ClusterNamespaces(connection).ReadAsync(space, cancellationToken).ConfigureAwait(false);
        if (ns == null)
        {
            throw new DevSpacesException(
                RpcErrorCode.SpaceNotFound,
                $"Space '{space}' does not exist in context '{connection.Context}'.",
                "List the spaces with 'devspaces space list' and select one that exists.");
        }

        if (!SpaceRecord.IsSpace(ns))
        {
            throw new DevSpacesException(
                RpcErrorCode.NotASpace,
                $"Namespace '{space}' is not a space.",
                $"Make it a root space with 'devspaces space create {space}'.");
        }

        var services = await connection.CallAsync(
            new ClusterOperation("list", "services", Namespace: space),
            (client, ct) => client.CoreV1.ListNamespacedServiceAsync(space, cancellationToken: ct),
            cancellationToken).ConfigureAwait(false);
        var pods = services.Items.Any(HasNamedTargetPort)
            ? await TryListPodsAsync(connection, space, cancellationToken).ConfigureAwait(false)
            : [];
        return new ServiceList(space, services.Items.OrderBy(s => s.Metadata.Name, StringComparer.Ordinal).Select(s => ToInfo(s, pods)).ToList());
    }

    /// <summary>The service with each port's container port; named target ports are looked up in <paramref name="pods"/>.</summary>
    public static ServiceInfo ToInfo(V1Service service, IReadOnlyList<V1Pod> pods) =>
        new(service.Metadata.Name,
            service.Spec?.Type ?? "ClusterIP",
            service.Spec?.ClusterIP is { Length: > 0 } ip ? ip : null,
            (service.Spec?.Ports ?? []).Select(p => new ServicePortInfo(
                p.Name,
                p.Port,
                p.TargetPort?.Value,
                p.Protocol ?? "TCP",
                p.NodePort,
                ContainerPort(service, p, pods))).ToList());

    private static int? ContainerPort(V1Service service, V1ServicePort port, IReadOnlyList<V1Pod> pods)
    {
        var target = port.TargetPort?.Value;
        if (string.IsNullOrEmpty(target))
        {
            return port.Port;
        }

        if (int.TryParse(target, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        var selector = service.Spec?.Selector;
        if (selector is not { Count: > 0 })
        {
            return null;
        }

        var protocol = port.Protocol ?? "TCP";
        return pods
            .Where(pod => selector.All(label => pod.Metadata.Labels?.TryGetValue(label.Key, out var value) == true && value == label.Value))
            .SelectMany(pod => pod.Spec?.Containers ?? [])
            .SelectMany(container => container.Ports ?? [])
            .Where(p => p.Name == target && (p.Protocol ?? "TCP") == protocol)
            .Select(p => (int?)p.ContainerPort)
            .FirstOrDefault();
    }

    private static bool HasNamedTargetPort(V1Service service) =>
        (service.Spec?.Ports ?? []).Any(p => p.TargetPort?.Value is { Length: > 0 } value && !int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _));

    /// <summary>The space's pods, to resolve named target ports; none when they cannot be read (the ports stay unresolved).</summary>
    private static async Task<IReadOnlyList<V1Pod>> TryListPodsAsync(ClusterConnection connection, string space, CancellationToken cancellationToken)
    {
        try
        {
            var pods = await connection.CallAsync(
                new ClusterOperation("list", "pods", Namespace: space),
                (client, ct) => client.CoreV1.ListNamespacedPodAsync(space, cancellationToken: ct),
                cancellationToken).ConfigureAwait(false);
            return pods.Items.ToList();
        }
        catch (DevSpacesException)
        {
            return [];
        }
    }
}
