namespace DevSpaces.Core.Spaces;

/// <summary>The labels that make a namespace a space.</summary>
public static class SpaceLabels
{
    /// <summary><c>devspaces.io/space=true</c> marks a space.</summary>
    public const string Space = "devspaces.io/space";

    /// <summary><c>devspaces.io/parent=&lt;namespace&gt;</c> names the parent of a child space.</summary>
    public const string Parent = "devspaces.io/parent";

    /// <summary>Label selector for all spaces.</summary>
    public const string SpaceSelector = Space + "=true";
}
