namespace DevSpaces.Contracts;

/// <summary>Answer to <c>space/list</c>.</summary>
/// <param name="Context">The context listed.</param>
/// <param name="Selected">The workspace's selected space.</param>
/// <param name="Roots">Root spaces (and spaces whose parent no longer exists), sorted by name, children nested.</param>
/// <param name="Note">One line when the list is partial: the user may not list namespaces, so only the spaces they may read are shown.</param>
public sealed record SpaceTree(string? Context, string? Selected, IReadOnlyList<SpaceInfo> Roots, string? Note = null);
