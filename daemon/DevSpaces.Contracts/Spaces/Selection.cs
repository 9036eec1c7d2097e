namespace DevSpaces.Contracts;

/// <summary>The workspace's context and selected space.</summary>
/// <param name="Context">The context the workspace uses.</param>
/// <param name="Space">The selected space, if any.</param>
/// <param name="WorkspaceFolder">The workspace folder holding <c>.devspaces/state.json</c>.</param>
/// <param name="Reason">Why it changed, when not by request (e.g. the space was deleted).</param>
public sealed record Selection(string? Context, string? Space, string? WorkspaceFolder, string? Reason);
