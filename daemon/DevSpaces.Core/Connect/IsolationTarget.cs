namespace DevSpaces.Core.Connect;

/// <summary>Where an isolated connect of a Service in a child space takes its version from.</summary>
/// <param name="Source">The nearest space on the path parent → … → root holding the Service (only read, never changed).</param>
/// <param name="Root">The routed root space whose router sends the child's requests to the session.</param>
public sealed record IsolationTarget(string Source, string Root)
{
    /// <summary>The child holds its own version of the Service: taking that one over already serves only the child's requests.</summary>
    public static IsolationTarget OwnVersion(string child) => new(child, child) { ChildHoldsService = true };

    public bool ChildHoldsService { get; init; }
}
