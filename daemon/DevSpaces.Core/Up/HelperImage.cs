using DevSpaces.Contracts;
using DevSpaces.Core.Errors;
using DevSpaces.Core.Images;

namespace DevSpaces.Core.Up;

/// <summary>
/// The helper's image: the NativeAOT helper that ships with the CLI on a small glibc base, content-tagged (built once
/// per helper version and base image) and delivered to the cluster like any image <c>up</c> builds.
/// </summary>
public sealed class HelperImage(ImageBuilder builder, ImageDelivery delivery, UpSettings settings)
{
    public async Task<ImageDeliveryResult> EnsureAsync(string ns, IProgress<ImageProgress>? progress, CancellationToken cancellationToken)
    {
        if (!File.Exists(Path.Combine(settings.HelperDirectory, "devspaces-helper")) || !File.Exists(Path.Combine(settings.HelperDirectory, "Dockerfile")))
        {
            throw new DevSpacesException(
                RpcErrorCode.HelperFailed,
                $"The in-container helper is not installed next to devspaces: {settings.HelperDirectory} lacks devspaces-helper or its Dockerfile.",
                "Reinstall devspaces, or build the repository (dotnet build) so the helper is published into the CLI's output.");
        }

        var request = new ImageBuildRequest(settings.HelperDirectory, settings.HelperRepository)
        {
            BuildArgs = new Dictionary<string, string> { ["BASE_IMAGE"] = settings.HelperBaseImage },
        };
        ImageBuildResult built;
        try
        {
            built = await builder.BuildAsync(request, progress, cancellationToken).ConfigureAwait(false);
        }
        catch (DevSpacesException e) when (e.ErrorCode == RpcErrorCode.ImageBuildFailed)
        {
            throw new DevSpacesException(
                RpcErrorCode.HelperFailed,
                $"The helper's image ({settings.HelperRepository} on {settings.HelperBaseImage}) could not be built: {e.Message}",
                "Without a registry, point DEVSPACES_HELPER_BASE_IMAGE at a glibc image the engine has (the bundled cluster: devspaces.local/debian:bookworm).");
        }

        return await delivery.DeliverAsync(built.Reference, ns, progress, cancellationToken).ConfigureAwait(false);
    }
}
