using k8s.Models;

namespace DevSpaces.Core.Routing;

/// <summary>
/// Short names in a child space: a pod there resolves <c>quotes</c> in its own namespace first (the kubelet's
/// search path); with its ancestors appended to <c>dnsConfig.searches</c>, a Service the child does not have
/// resolves to the parent's, then the grandparent's, up to the root's, whose routed Services go through the router.
/// </summary>
public static class SpaceDns
{
    /// <summary>The search domains of <paramref name="ancestors"/> (parent first, root last) in cluster domain <paramref name="clusterDomain"/>.</summary>
    public static IReadOnlyList<string> SearchesFor(IEnumerable<string> ancestors, string clusterDomain = "cluster.local") =>
        ancestors.Select(a => $"{a}.svc.{clusterDomain}").ToList();

    /// <summary>Appends the ancestors' search domains to a pod spec's DNS config (once; what it had stays first).</summary>
    public static void Apply(V1PodSpec pod, IEnumerable<string> ancestors, string clusterDomain = "cluster.local")
    {
        pod.DnsConfig ??= new V1PodDNSConfig();
        var searches = pod.DnsConfig.Searches?.ToList() ?? [];
        foreach (var domain in SearchesFor(ancestors, clusterDomain))
        {
            if (!searches.Contains(domain))
            {
                searches.Add(domain);
            }
        }

        pod.DnsConfig.Searches = searches;
    }
}
