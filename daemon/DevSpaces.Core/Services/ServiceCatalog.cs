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
        var ns = await SpaceService.TryReadNamespaceAsync(connection, space, cancellationToken).ConfigureAwait(false);
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
        return new ServiceList(space, services.Items.OrderBy(s => s.Metadata.Name, StringComparer.Ordinal).Select(ToInfo).ToList());
    }

    public static ServiceInfo ToInfo(V1Service service) =>
        new(service.Metadata.Name,
            service.Spec?.Type ?? "ClusterIP",
            service.Spec?.ClusterIP is { Length: > 0 } ip ? ip : null,
            (service.Spec?.Ports ?? []).Select(p => new ServicePortInfo(
                p.Name,
                p.Port,
                p.TargetPort?.Value,
                p.Protocol ?? "TCP",
                p.NodePort)).ToList());
}
