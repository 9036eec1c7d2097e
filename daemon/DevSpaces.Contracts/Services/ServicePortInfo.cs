namespace DevSpaces.Contracts;

/// <summary>One port of a service.</summary>
/// <param name="Name">Port name.</param>
/// <param name="Port">Service port.</param>
/// <param name="TargetPort">Number or named port of the pods.</param>
/// <param name="Protocol">TCP, UDP or SCTP.</param>
/// <param name="NodePort">Node port, if any.</param>
public sealed record ServicePortInfo(string? Name, int Port, string? TargetPort, string Protocol, int? NodePort);
