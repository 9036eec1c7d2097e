namespace DevSpaces.Core.Previews;

/// <summary>What <c>preview down</c> did.</summary>
/// <param name="Name">The preview's space.</param>
/// <param name="Deleted">False when there was no such preview (nothing to remove).</param>
/// <param name="Message">What happened, for people.</param>
public sealed record PreviewDownResult(string Name, bool Deleted, string Message);
