using DevSpaces.Contracts;
using DevSpaces.Core.Errors;
using DevSpaces.Core.Images;

namespace DevSpaces.Core.Routing;

/// <summary>
/// The router's image, made like the connect agent's: the router's build output that ships with the CLI copied onto
/// an ASP.NET Core runtime image (no restore in a container), content-tagged so it is built once per router version
/// and base image, and delivered to the cluster.
/// </summary>
public sealed class RouterImage(ImageBuilder builder, ImageDelivery delivery, RouterSettings settings)
{
    public async Task<ImageDeliveryResult> EnsureAsync(string ns, IProgress<ImageProgress>? progress, CancellationToken cancellationToken)
    {
        if (!File.Exists(Path.Combine(settings.RouterDirectory, "Dockerfile")) || !File.Exists(Path.Combine(settings.RouterDirectory, "devspaces-router.dll")))
        {
            throw new DevSpacesException(
                RpcErrorCode.RoutingFailed,
                $"The router is not installed next to devspaces: {settings.RouterDirectory} lacks devspaces-router.dll or its Dockerfile.",
                "Reinstall devspaces, or build the repository (dotnet build) so the router is copied into the CLI's output.");
        }

        var request = new ImageBuildRequest(settings.RouterDirectory, settings.Repository)
        {
            BuildArgs = new Dictionary<string, string> { ["BASE_IMAGE"] = settings.BaseImage },
        };
        ImageBuildResult built;
        try
        {
            built = await builder.BuildAsync(request, progress, cancellationToken).ConfigureAwait(false);
        }
        catch (DevSpacesException e) when (e.ErrorCode == RpcErrorCode.ImageBuildFailed)
        {
            throw new DevSpacesException(
                RpcErrorCode.RoutingFailed,
                $"The router image {settings.Repository} (base {settings.BaseImage}) could not be built: {e.Message}",
                "Check that the base image exists on this Docker engine (DEVSPACES_ROUTER_BASE_IMAGE; on the bundled cluster devspaces.local/dotnet-aspnet:10.0).",
                e.Detail,
                e);
        }

        return await delivery.DeliverAsync(built.Reference, ns, progress, cancellationToken).ConfigureAwait(false);
    }
}
