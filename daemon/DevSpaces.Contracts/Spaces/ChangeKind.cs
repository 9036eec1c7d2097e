namespace DevSpaces.Contracts;

/// <summary>What happened to a watched object.</summary>
public enum ChangeKind
{
    /// <summary>It appeared.</summary>
    Added,

    /// <summary>It changed.</summary>
    Modified,

    /// <summary>It is gone.</summary>
    Deleted,
}
