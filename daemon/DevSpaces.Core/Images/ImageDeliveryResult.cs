namespace DevSpaces.Core.Images;

/// <summary>Where the cluster finds a delivered image.</summary>
/// <param name="Reference">The reference pods should use.</param>
/// <param name="Pushed">False when the cluster shares the local engine and nothing was transferred.</param>
public sealed record ImageDeliveryResult(string Reference, bool Pushed);
