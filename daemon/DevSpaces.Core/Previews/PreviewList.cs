namespace DevSpaces.Core.Previews;

/// <summary>Previews, oldest first, and those removed as stale.</summary>
public sealed record PreviewList(IReadOnlyList<PreviewInfo> Previews, IReadOnlyList<string> Deleted);
