namespace DevSpaces.Contracts;

/// <summary>A cluster service port reachable on this machine during a connect session.</summary>
/// <param name="Service">Service name.</param>
/// <param name="Namespace">Its namespace (the space or a parent).</param>
/// <param name="PortName">The service port's name, if any.</param>
/// <param name="ServicePort">The port on the service.</param>
/// <param name="LocalPort">The loopback port to call.</param>
/// <param name="HostAddress">With the hosts-file section: the service's own loopback address (its names resolve to it), where it answers on <paramref name="ServicePort"/>; else null.</param>
public sealed record ConnectEndpoint(string Service, string Namespace, string? PortName, int ServicePort, int LocalPort, string? HostAddress);
