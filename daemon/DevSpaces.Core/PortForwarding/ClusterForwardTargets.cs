using DevSpaces.Core.Watch;
using k8s;
using k8s.Models;

namespace DevSpaces.Core.PortForwarding;

/// <summary>Forward targets and their pods on the API server.</summary>
public sealed class ClusterForwardTargets(IKubernetes client) : IForwardTargets
{
    public Task<ResolvedTarget> ResolveAsync(PortForwardTarget target, CancellationToken cancellationToken) =>
        new TargetResolver(client).ResolveAsync(target, cancellationToken);

    public IWatchSource<V1Pod> PodsOf(PodSelection selection) => ReadyPodTracker.PodsOf(client, selection);
}
