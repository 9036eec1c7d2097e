using DevSpaces.Core.Up;

namespace DevSpaces.Core.Previews;

/// <summary>Deploys one service folder into a space once and waits until it is ready (<see cref="UpService.DeployOnceAsync"/> on a real cluster).</summary>
public interface IPreviewDeployer
{
    /// <param name="folder">The service's folder (holding devspaces.yaml).</param>
    /// <param name="ns">The preview's namespace.</param>
    /// <param name="ancestors">The preview's parent, its parent, up to the root: where short names resolve after the preview's own Services.</param>
    /// <param name="buildArgs">Build arguments over those of devspaces.yaml.</param>
    /// <param name="image">An image to deploy as it is instead of building the folder's, or null.</param>
    /// <param name="events">What happens, step by step.</param>
    Task<PreviewServiceInfo> DeployAsync(string folder, string ns, IReadOnlyList<string> ancestors, IReadOnlyDictionary<string, string> buildArgs, string? image, Action<UpEvent> events, CancellationToken cancellationToken);
}
