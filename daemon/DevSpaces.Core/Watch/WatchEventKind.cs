namespace DevSpaces.Core.Watch;

/// <summary>What one event of a watch stream says happened to its object.</summary>
public enum WatchEventKind
{
    Added,
    Modified,
    Deleted,

    /// <summary>Nothing changed: the stream reports the resourceVersion it has reached.</summary>
    Bookmark,
}
