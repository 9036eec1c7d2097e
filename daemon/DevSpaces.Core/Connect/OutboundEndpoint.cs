namespace DevSpaces.Core.Connect;

/// <summary>A port of a cluster Service made reachable on this machine: the daemon listens locally, the agent dials in the cluster.</summary>
/// <param name="Service">The Service's name.</param>
/// <param name="Namespace">Its namespace (the space or one of its parents).</param>
/// <param name="PortName">The Service port's name, if any.</param>
/// <param name="ServicePort">The port on the Service.</param>
/// <param name="ClusterHost">What the agent dials: the ClusterIP, or the DNS name for headless Services.</param>
/// <param name="LocalPort">The loopback port; set when the listener is bound.</param>
/// <param name="HostAddress">With the hosts-file section: the Service's own loopback address, where the daemon also listens on <paramref name="ServicePort"/>.</param>
public sealed record OutboundEndpoint(string Service, string Namespace, string? PortName, int ServicePort, string ClusterHost, int LocalPort = 0, string? HostAddress = null);
