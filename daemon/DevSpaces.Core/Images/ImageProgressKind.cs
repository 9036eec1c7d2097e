namespace DevSpaces.Core.Images;

public enum ImageProgressKind
{
    /// <summary>A line of build output.</summary>
    BuildOutput,

    /// <summary>The content tag exists already; nothing to build.</summary>
    UpToDate,

    /// <summary>Layer upload/download status.</summary>
    Transfer,

    /// <summary>A step of the pipeline finished (built, pushed, delivered).</summary>
    Step,
}
