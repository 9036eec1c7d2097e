namespace DevSpaces.Contracts;

/// <summary>Params of <c>portForward/event</c>.</summary>
/// <param name="ForwardId">The forward's id; events sent while <c>portForward/start</c> runs carry it too.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Message">One line for the user.</param>
/// <param name="Time">ISO 8601, UTC.</param>
/// <param name="Pod">The pod concerned, if any.</param>
/// <param name="PreviousPod">For a switch: the pod that went away.</param>
/// <param name="LocalPort">The local port concerned, if any.</param>
/// <param name="RemotePort">The container port concerned, if any.</param>
/// <param name="ConnectionId">For connection events: the connection's number within the forward.</param>
public sealed record PortForwardEventInfo(
    string ForwardId,
    ForwardEventKind Kind,
    string Message,
    string Time,
    string? Pod,
    string? PreviousPod,
    int? LocalPort,
    int? RemotePort,
    long? ConnectionId);
