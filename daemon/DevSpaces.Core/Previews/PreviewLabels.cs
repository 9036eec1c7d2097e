namespace DevSpaces.Core.Previews;

/// <summary>The labels and annotations that make a child space a preview and say what it shows.</summary>
public static class PreviewLabels
{
    /// <summary><c>devspaces.io/preview=true</c> on the namespace of every preview space.</summary>
    public const string Preview = "devspaces.io/preview";

    /// <summary>The pull request's number, when the preview is one's.</summary>
    public const string PullRequest = "devspaces.io/preview-pr";

    /// <summary>Annotation: the commit the preview was last deployed from.</summary>
    public const string Commit = "devspaces.io/preview-commit";

    /// <summary>Annotation: when the preview was created (ISO 8601, UTC).</summary>
    public const string Created = "devspaces.io/preview-created";

    /// <summary>Annotation: when the preview was last deployed (ISO 8601, UTC); its age for pruning counts from here.</summary>
    public const string Updated = "devspaces.io/preview-updated";

    /// <summary>Label selector for all previews.</summary>
    public const string PreviewSelector = Preview + "=true";
}
