using DevSpaces.Contracts;

namespace DevSpaces.Core.PortForwarding;

/// <summary>Something a user watching a forward should see.</summary>
public sealed record PortForwardEvent(
    DateTimeOffset Time,
    ForwardEventKind Kind,
    string Message,
    string? Pod = null,
    string? PreviousPod = null,
    int? LocalPort = null,
    int? RemotePort = null,
    long? ConnectionId = null,
    long? BytesToPod = null,
    long? BytesFromPod = null);
