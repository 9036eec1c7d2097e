namespace DevSpaces.Core.Images;

/// <summary>What to build: a context folder, its Dockerfile, build args, and the repository to tag into.</summary>
public sealed record ImageBuildRequest(string ContextDirectory, string Repository)
{
    /// <summary>Relative to the context folder, or absolute.</summary>
    public string Dockerfile { get; init; } = "Dockerfile";

    public IReadOnlyDictionary<string, string> BuildArgs { get; init; } = new Dictionary<string, string>();

    /// <summary>Build stage to stop at, if any.</summary>
    public string? Target { get; init; }

    /// <summary>Build even when an image with the same content tag exists.</summary>
    public bool Force { get; init; }
}
