using System.Net;

namespace DevSpaces.Core.PortForwarding;

/// <summary>A local endpoint of a running forward and the remote port it reaches.</summary>
public sealed record ForwardedPort(IPEndPoint LocalEndPoint, string RemotePort);
