using DevSpaces.Core.Watch;
using k8s.Models;

namespace DevSpaces.Core.PortForwarding;

/// <summary>What starting a forward reads of the cluster: the target's pods, and those pods as they change.</summary>
public interface IForwardTargets
{
    /// <summary>The pods that serve <paramref name="target"/>; a missing target is a <c>ForwardTargetNotFound</c> error.</summary>
    Task<ResolvedTarget> ResolveAsync(PortForwardTarget target, CancellationToken cancellationToken);

    /// <summary>The pods of <paramref name="selection"/>, to list and watch.</summary>
    IWatchSource<V1Pod> PodsOf(PodSelection selection);
}
