using DevSpaces.Contracts;
using DevSpaces.Core.Errors;
using System.Net;
using System.Net.NetworkInformation;
using Docker.DotNet;
using Docker.DotNet.Models;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace DevSpaces.Core.Images;

/// <summary>
/// Makes a locally built image available to the cluster: nothing to do when the cluster's only node runs on this
/// machine's Docker engine; otherwise tag it into the configured registry and push.
/// </summary>
public sealed class ImageDelivery(IDockerClient docker, IKubernetes? cluster, ImageDeliverySettings settings)
{
    private bool? _sharesEngine;

    /// <summary>Delivers <paramref name="reference"/> for pods of namespace <paramref name="ns"/> (null: none in particular).</summary>
    public async Task<ImageDeliveryResult> DeliverAsync(string reference, string? ns, IProgress<ImageProgress>? progress, CancellationToken cancellationToken)
    {
        if (await SharesEngineAsync(ns, cancellationToken).ConfigureAwait(false))
        {
            progress?.Report(new ImageProgress(ImageProgressKind.Step, $"The cluster runs on this Docker engine; {reference} is already there."));
            return new ImageDeliveryResult(reference, Pushed: false);
        }

        if (string.IsNullOrWhiteSpace(settings.Registry))
        {
            throw new DevSpacesException(
                RpcErrorCode.ImageDeliveryFailed,
                $"The cluster does not use this machine's Docker engine, so it cannot see {reference}, and no registry is configured.",
                "Set images.registry in devspaces.yaml (or the devspaces.images.registry setting) to a registry the cluster pulls from.");
        }

        var (repository, tag) = SplitReference(reference);
        var target = $"{settings.Registry.TrimEnd('/')}/{LastSegment(repository)}";
        await docker.Images.TagImageAsync(reference, new ImageTagParameters { RepositoryName = target, Tag = tag }, cancellationToken).ConfigureAwait(false);
        await PushAsync(target, tag, progress, cancellationToken).ConfigureAwait(false);
        progress?.Report(new ImageProgress(ImageProgressKind.Step, $"Pushed {target}:{tag}."));
        return new ImageDeliveryResult($"{target}:{tag}", Pushed: true);
    }

    /// <summary>
    /// True when the setting says so, or when the cluster has exactly one node, its runtime is Docker and one of
    /// its addresses belongs to this machine. A user who may not list nodes (their rights end at their namespaces)
    /// is answered from the pods of <paramref name="ns"/> instead: shared when every running container there is a
    /// container of this engine. With a registry configured, not being able to tell means pushing.
    /// </summary>
    /// <exception cref="DevSpacesException">ImageDeliveryFailed when it cannot be told and no registry is configured.</exception>
    public async Task<bool> SharesEngineAsync(string? ns, CancellationToken cancellationToken)
    {
        if (settings.SharedEngine is { } forced)
        {
            return forced;
        }

        // Asked once per delivery object: the answer needs the node list and this machine's addresses.
        return _sharesEngine ??= await DetectSharedEngineAsync(ns, cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> DetectSharedEngineAsync(string? ns, CancellationToken cancellationToken)
    {
        if (cluster is null || !docker.Configuration.EndpointBaseUri.IsLoopbackOrUnix())
        {
            return false;
        }

        V1NodeList nodes;
        try
        {
            nodes = await cluster.CoreV1.ListNodeAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.Forbidden)
        {
            return !string.IsNullOrWhiteSpace(settings.Registry) ? false : await RunsPodsOfAsync(ns, e, cancellationToken).ConfigureAwait(false);
        }

        if (nodes.Items.Count != 1)
        {
            return false;
        }

        var node = nodes.Items[0];
        if (node.Status?.NodeInfo?.ContainerRuntimeVersion?.StartsWith("docker://", StringComparison.Ordinal) != true)
        {
            return false;
        }

        var local = NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .ToHashSet();
        var hostName = Dns.GetHostName();
        return node.Status.Addresses?.Any(a =>
            (a.Type == "InternalIP" && IPAddress.TryParse(a.Address, out var ip) && local.Contains(ip))
            || (a.Type == "Hostname" && string.Equals(a.Address, hostName, StringComparison.OrdinalIgnoreCase))) == true;
    }

    /// <summary>Whether the running containers of namespace <paramref name="ns"/> are this engine's: then so is their node.</summary>
    private async Task<bool> RunsPodsOfAsync(string? ns, HttpOperationException nodesForbidden, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        string why;
        if (ns is null)
        {
            why = "no namespace was given whose pods would show where the cluster runs its containers";
        }
        else
        {
            try
            {
                var pods = await cluster!.CoreV1.ListNamespacedPodAsync(ns, fieldSelector: "status.phase=Running", cancellationToken: cancellationToken).ConfigureAwait(false);
                // Only containers that run now: a deleted pod's stopped containers may already be removed by the engine.
                ids.AddRange(pods.Items
                    .Where(p => p.Metadata.DeletionTimestamp == null)
                    .SelectMany(p => p.Status?.ContainerStatuses ?? [])
                    .Where(c => c.State?.Running != null)
                    .Select(c => c.ContainerID)
                    .Where(id => id?.StartsWith(DockerIdPrefix, StringComparison.Ordinal) == true)
                    .Select(id => id![DockerIdPrefix.Length..]));
                why = $"no running pod in namespace '{ns}' shows where the cluster runs its containers";
            }
            catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.Forbidden)
            {
                why = $"listing the pods of namespace '{ns}' is not allowed either";
            }
        }

        if (ids.Count == 0)
        {
            throw new DevSpacesException(
                RpcErrorCode.ImageDeliveryFailed,
                $"Cannot tell whether the cluster runs on this machine's Docker engine: listing nodes is not allowed, and {why}.",
                "Set images.registry in devspaces.yaml (or the devspaces.images.registry setting) to a registry the cluster pulls from, or ask a cluster administrator for 'list' on 'nodes' (a ClusterRole).",
                nodesForbidden.Response?.Content);
        }

        foreach (var id in ids)
        {
            try
            {
                await docker.Containers.InspectContainerAsync(id, cancellationToken).ConfigureAwait(false);
            }
            catch (DockerContainerNotFoundException)
            {
                return false;
            }
        }

        return true;
    }

    private const string DockerIdPrefix = "docker://";

    /// <summary>Pushes <c>repository:tag</c>, failing with the registry's own words when it refuses.</summary>
    public Task PushAsync(string repository, string tag, IProgress<ImageProgress>? progress, CancellationToken cancellationToken) =>
        RunTransferAsync($"push {repository}:{tag}", progress, reporter =>
            docker.Images.PushImageAsync(repository, new ImagePushParameters { Tag = tag }, new AuthConfig(), reporter, cancellationToken));

    /// <summary>Pulls <c>repository:tag</c> into the local engine.</summary>
    public Task PullAsync(string repository, string tag, IProgress<ImageProgress>? progress, CancellationToken cancellationToken) =>
        RunTransferAsync($"pull {repository}:{tag}", progress, reporter =>
            docker.Images.CreateImageAsync(new ImagesCreateParameters { FromImage = repository, Tag = tag }, new AuthConfig(), reporter, cancellationToken));

    public static (string Repository, string Tag) SplitReference(string reference)
    {
        var colon = reference.LastIndexOf(':');
        return colon > reference.LastIndexOf('/') ? (reference[..colon], reference[(colon + 1)..]) : (reference, "latest");
    }

    private static string LastSegment(string repository) => repository[(repository.LastIndexOf('/') + 1)..];

    private static async Task RunTransferAsync(string what, IProgress<ImageProgress>? progress, Func<IProgress<JSONMessage>, Task> transfer)
    {
        string? error = null;
        var reporter = new CallbackProgress<JSONMessage>(message =>
        {
            var failure = message.Error?.Message ?? message.ErrorMessage;
            if (!string.IsNullOrEmpty(failure))
            {
                error = failure;
                return;
            }

            if (!string.IsNullOrEmpty(message.Status))
            {
                progress?.Report(new ImageProgress(ImageProgressKind.Transfer, message.Status, message.ID, message.Progress?.Current, message.Progress?.Total));
            }
        });
        try
        {
            await transfer(reporter).ConfigureAwait(false);
        }
        catch (DockerApiException e)
        {
            throw new DevSpacesException(RpcErrorCode.ImageDeliveryFailed, $"Docker could not {what}: {e.ResponseBody?.Trim()}", "Check that the registry is reachable and accepts pushes.", null, e);
        }

        if (error is not null)
        {
            throw new DevSpacesException(RpcErrorCode.ImageDeliveryFailed, $"Docker could not {what}: {error}", "Check the registry address, that it is running, and that Docker trusts it (insecure-registries for plain HTTP).");
        }
    }
}
