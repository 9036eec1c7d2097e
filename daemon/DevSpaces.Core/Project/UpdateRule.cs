namespace DevSpaces.Core.Project;

/// <summary>One <c>updates</c> entry of <c>devspaces.yaml</c>.</summary>
/// <param name="Files">The changed paths this rule is for.</param>
/// <param name="Action">What such a change does.</param>
public sealed record UpdateRule(GlobList Files, UpdateAction Action);
