namespace DevSpaces.Contracts;

/// <summary>Answer to <c>space/delete</c>.</summary>
/// <param name="Deleted">Spaces deleted, leaves first.</param>
/// <param name="SelectionCleared">True when the selected space was among them.</param>
/// <param name="Message">One line for the user.</param>
public sealed record DeleteSpaceResult(IReadOnlyList<string> Deleted, bool SelectionCleared, string Message);
