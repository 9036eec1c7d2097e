namespace DevSpaces.Core.Routing;

/// <summary>How the router image is built.</summary>
public sealed record RouterSettings
{
    public const string DefaultBaseImage = "mcr.microsoft.com/dotnet/aspnet:10.0";

    /// <summary>The router's build output and Dockerfile; by default the <c>router</c> folder next to the executable.</summary>
    public string RouterDirectory { get; init; } = Path.Combine(AppContext.BaseDirectory, "router");

    /// <summary>The image the router is built on (any image with the ASP.NET Core 10 runtime).</summary>
    public string BaseImage { get; init; } = DefaultBaseImage;

    /// <summary>The repository the content-tagged router image goes into.</summary>
    public string Repository { get; init; } = "devspaces/router";

    /// <summary>How long to wait for the router to be ready before any Service is switched to it.</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>The defaults, with the base image from <c>DEVSPACES_ROUTER_BASE_IMAGE</c> when set (a cluster without a registry).</summary>
    public static RouterSettings FromEnvironment(Func<string, string?> environment) => new()
    {
        BaseImage = environment("DEVSPACES_ROUTER_BASE_IMAGE") is { Length: > 0 } image ? image : DefaultBaseImage,
    };
}
