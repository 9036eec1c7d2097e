namespace DevSpaces.Core.Workspace;

/// <summary>What a workspace folder remembers in <c>.devspaces/state.json</c>.</summary>
/// <param name="Context">The kubeconfig context chosen for this folder; null follows the kubeconfig's current-context.</param>
/// <param name="Space">The selected space.</param>
public sealed record WorkspaceState(string? Context, string? Space)
{
    public static readonly WorkspaceState Empty = new(null, null);
}
