using DevSpaces.Core.Up;

namespace DevSpaces.Core.Previews;

/// <summary>Previews deploy with <c>up</c>'s pipeline, once and without the helper (nothing syncs into a preview).</summary>
public sealed class UpPreviewDeployer(UpService up) : IPreviewDeployer
{
    public async Task<PreviewServiceInfo> DeployAsync(string folder, string ns, IReadOnlyList<string> ancestors, IReadOnlyDictionary<string, string> buildArgs, string? image, Action<UpEvent> events, CancellationToken cancellationToken)
    {
        var deployment = await up.DeployOnceAsync(folder, ns, ancestors, buildArgs, image, events, cancellationToken).ConfigureAwait(false);
        return new PreviewServiceInfo(UpService.ReadProject(folder).Service, deployment.Image, deployment.Pod.Metadata.Name);
    }
}
