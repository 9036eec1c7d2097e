namespace DevSpaces.Core.Connect;

/// <summary>One port of the Service and the container port its traffic arrives on.</summary>
/// <param name="Name">The Service port's name (may be null for a single unnamed port).</param>
/// <param name="ServicePort">The port clients call on the Service.</param>
/// <param name="TargetPort">The resolved number the pods listen on (named ports are looked up in the container).</param>
/// <param name="TargetPortName">The container port's name when the Service refers to it by name.</param>
public sealed record TakeoverPort(string? Name, int ServicePort, int TargetPort, string? TargetPortName);
