using Docker.DotNet;

namespace DevSpaces.Core.Images;

/// <summary>Connects to the local Docker engine: <c>DOCKER_HOST</c> when set, otherwise the default unix socket.</summary>
public static class DockerEngine
{
    public const string DefaultEndpoint = "unix:///var/run/docker.sock";

    public static DockerClient Connect(string? endpoint = null)
    {
        var uri = new Uri(endpoint ?? Environment.GetEnvironmentVariable("DOCKER_HOST") ?? DefaultEndpoint);
        using var configuration = new DockerClientConfiguration(uri, defaultTimeout: TimeSpan.FromMinutes(30));
        return configuration.CreateClient();
    }
}
