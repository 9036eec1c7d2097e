using DevSpaces.Contracts;
using DevSpaces.Core.Errors;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace DevSpaces.Core.PortForwarding;

/// <summary>Turns a pod, Deployment or Service into the set of pods that can serve it.</summary>
public sealed class TargetResolver(IKubernetes client)
{
    public async Task<ResolvedTarget> ResolveAsync(PortForwardTarget target, CancellationToken cancellationToken)
    {
        try
        {
            switch (target.Kind)
            {
                case PortForwardTargetKind.Pod:
                    await client.CoreV1.ReadNamespacedPodAsync(target.Name, target.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
                    return new ResolvedTarget(target, new PodSelection(target.Namespace, null, target.Name), null);
                case PortForwardTargetKind.Deployment:
                {
                    var deployment = await client.AppsV1.ReadNamespacedDeploymentAsync(target.Name, target.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
                    var selector = LabelSelectorText.From(deployment.Spec.Selector);
                    return new ResolvedTarget(target, new PodSelection(target.Namespace, selector, null), null);
                }

                default:
                {
                    var service = await client.CoreV1.ReadNamespacedServiceAsync(target.Name, target.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
                    if (service.Spec.Selector is not { Count: > 0 })
                    {
                        throw new DevSpacesException(
                            RpcErrorCode.NoReadyPod,
                            $"Service {target.Name} in namespace {target.Namespace} has no pod selector, so no pod serves it.",
                            "Forward to a pod or Deployment instead.");
                    }

                    var selector = LabelSelectorText.From(service.Spec.Selector);
                    return new ResolvedTarget(target, new PodSelection(target.Namespace, selector, null), service);
                }
            }
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new DevSpacesException(
                RpcErrorCode.ForwardTargetNotFound,
                $"There is no {target}.",
                $"Check the name and namespace (kubectl get {target.Kind.ToString().ToLowerInvariant()}s -n {target.Namespace}).",
                e.Message,
                e);
        }
    }
}
