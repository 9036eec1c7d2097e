using DevSpaces.Core.Images;

namespace DevSpaces.Core.Connect;

/// <summary>
/// The agent's image, built through the image pipeline from the agent's build output that ships with the CLI
/// (the packages are restored on the host; the build itself needs no network), content-tagged so it is built once
/// per agent version and base image, and delivered to the cluster.
/// </summary>
public sealed class AgentImage(ImageBuilder builder, ImageDelivery delivery, AgentSettings settings) : IAgentImage
{
    public async Task<ImageDeliveryResult> EnsureAsync(string ns, IProgress<ImageProgress>? progress, CancellationToken cancellationToken)
    {
        var dockerfile = Path.Combine(settings.AgentDirectory, "Dockerfile");
        if (!File.Exists(dockerfile) || !File.Exists(Path.Combine(settings.AgentDirectory, "devspaces-agent.dll")))
        {
            throw new Errors.DevSpacesException(
                Contracts.RpcErrorCode.AgentFailed,
                $"The connect agent is not installed next to devspaces: {settings.AgentDirectory} lacks devspaces-agent.dll or its Dockerfile.",
                "Reinstall devspaces, or build the repository (dotnet build) so the agent is copied into the CLI's output.");
        }

        var request = new ImageBuildRequest(settings.AgentDirectory, settings.Repository)
        {
            BuildArgs = new Dictionary<string, string> { ["BASE_IMAGE"] = settings.BaseImage },
        };
        ImageBuildResult built;
        try
        {
            built = await builder.BuildAsync(request, progress, cancellationToken).ConfigureAwait(false);
        }
        catch (Errors.DevSpacesException e) when (e.ErrorCode == Contracts.RpcErrorCode.ImageBuildFailed)
        {
            throw ConnectErrors.AgentImageMissing($"{settings.Repository} (base {settings.BaseImage})", e.Message);
        }

        return await delivery.DeliverAsync(built.Reference, ns, progress, cancellationToken).ConfigureAwait(false);
    }
}
