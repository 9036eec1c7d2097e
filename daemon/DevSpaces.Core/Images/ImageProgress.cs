namespace DevSpaces.Core.Images;

/// <summary>A progress report of an image build or delivery.</summary>
public sealed record ImageProgress(ImageProgressKind Kind, string Message, string? LayerId = null, long? Current = null, long? Total = null);
