namespace DevSpaces.Contracts;

/// <summary>One port of a service.</summary>
/// <param name="Name">Port name.</param>
/// <param name="Port">Service port.</param>
/// <param name="TargetPort">Number or named port of the pods.</param>
/// <param name="Protocol">TCP, UDP or SCTP.</param>
/// <param name="NodePort">Node port, if any.</param>
/// <param name="ContainerPort">
/// The port the pods' container listens on: the target port's number, the port itself without a target port, or a
/// named target port resolved from the containers of the service's pods; null when no pod declares the name.
/// </param>
public sealed record ServicePortInfo(string? Name, int Port, string? TargetPort, string Protocol, int? NodePort, int? ContainerPort);
