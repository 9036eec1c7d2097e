namespace DevSpaces.Core.PortForwarding;

/// <summary>An open connection to a pod port, with where it goes.</summary>
public sealed record PodConnection(string Pod, int RemotePort, IPodChannel Channel);
