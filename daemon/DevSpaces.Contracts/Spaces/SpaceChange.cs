namespace DevSpaces.Contracts;

/// <summary>Params of the <c>space/changed</c> notification.</summary>
/// <param name="Kind">Added, modified or deleted.</param>
/// <param name="Name">The space.</param>
/// <param name="Parent">Its parent, null for a root space.</param>
/// <param name="Phase">Namespace phase: Active or Terminating.</param>
public sealed record SpaceChange(ChangeKind Kind, string Name, string? Parent, string Phase);
