namespace DevSpaces.Core.Project;

/// <summary>A build argument naming a base image.</summary>
/// <param name="Name">The <c>ARG</c> name.</param>
/// <param name="Default">The public image, the Dockerfile's default.</param>
/// <param name="Local">The bundled cluster's local image for it, if there is one.</param>
public sealed record BaseImageArg(string Name, string Default, string? Local);
