namespace DevSpaces.Contracts;

/// <summary>Answer to <c>space/create</c>.</summary>
/// <param name="Name">The space.</param>
/// <param name="Parent">Its parent, null for a root space.</param>
/// <param name="NamespaceCreated">False when an existing namespace was labelled as a root space.</param>
public sealed record CreateSpaceResult(string Name, string? Parent, bool NamespaceCreated);
