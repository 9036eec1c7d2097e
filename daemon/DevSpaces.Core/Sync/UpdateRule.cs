namespace DevSpaces.Core.Sync;

/// <summary>One update rule: globs (last match decides, <c>!</c> takes back) and the action for the paths they match.</summary>
public sealed record UpdateRule(IReadOnlyList<string> Files, UpdateAction Action);
