namespace DevSpaces.Contracts;

/// <summary>Answer to <c>portForward/list</c>.</summary>
/// <param name="Forwards">The running forwards, oldest first.</param>
public sealed record PortForwardList(IReadOnlyList<PortForwardInfo> Forwards);
