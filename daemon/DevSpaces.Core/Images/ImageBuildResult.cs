namespace DevSpaces.Core.Images;

/// <summary>A built (or already present) image.</summary>
/// <param name="Reference">The content-addressed reference, e.g. <c>api:ds-0123456789ab</c>.</param>
/// <param name="ContentHash">The full hash the tag abbreviates.</param>
/// <param name="Skipped">True when the tag existed and nothing was built.</param>
public sealed record ImageBuildResult(string Reference, string ImageId, string ContentHash, bool Skipped);
