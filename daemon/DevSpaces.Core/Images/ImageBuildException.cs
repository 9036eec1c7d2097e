namespace DevSpaces.Core.Images;

/// <summary>An image could not be built or delivered; the message says what and how to fix it.</summary>
public sealed class ImageBuildException(string message, string? fix = null, Exception? inner = null)
    : Exception(fix is null ? message : $"{message} {fix}", inner)
{
    public string? Fix { get; } = fix;
}
