namespace DevSpaces.Contracts;

/// <summary>Answer to <c>image/build</c>.</summary>
/// <param name="Reference">The content-addressed local reference, e.g. <c>api:ds-0123456789ab</c>.</param>
/// <param name="ImageId">The engine's image id.</param>
/// <param name="ContentHash">The full hash the tag abbreviates.</param>
/// <param name="Skipped">True when the tag existed and nothing was built.</param>
/// <param name="DeliveredReference">What pods should use; null when not delivered.</param>
/// <param name="Pushed">True when delivery pushed to a registry.</param>
public sealed record ImageBuildInfo(string Reference, string ImageId, string ContentHash, bool Skipped, string? DeliveredReference, bool Pushed);
