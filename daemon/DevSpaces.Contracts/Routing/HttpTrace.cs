namespace DevSpaces.Contracts;

/// <summary>One request that passed the router, as its trace buffer keeps it and <c>devspaces traces</c> shows it.</summary>
/// <param name="Sequence">Increasing per router; a reader asks for the traces after the last one it saw.</param>
/// <param name="Time">When the request arrived (UTC, ISO 8601).</param>
/// <param name="Asked">The routing key as sent (shortened), or null without one.</param>
/// <param name="Source">Where the key came from: none, header, baggage or host.</param>
/// <param name="Space">The space of this tree the request was for, or null (baseline).</param>
/// <param name="Service">The routed Service it arrived for.</param>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">Path and query, shortened.</param>
/// <param name="Status">The response's status code (502/503 when the router answered itself).</param>
/// <param name="DurationMs">From arrival to the end of the response, in milliseconds.</param>
/// <param name="ServedBy">The space whose version answered.</param>
/// <param name="KeyDropped">
/// Set on a request without a key that belongs to a request chain for a child space: which service's call lost the
/// key. Null otherwise.
/// </param>
public sealed record HttpTrace(
    long Sequence,
    string Time,
    string? Asked,
    string Source,
    string? Space,
    string Service,
    string Method,
    string Path,
    int Status,
    double DurationMs,
    string ServedBy,
    KeyDrop? KeyDropped = null);

/// <summary>Where a request chain for a child space lost its routing key (the propagation check).</summary>
/// <param name="Space">The space the chain was for.</param>
/// <param name="Service">The service that received the key and made this call without it: it must forward the
/// <c>devspaces-route-as</c> (or <c>baggage</c>) header from the request it serves to the calls it makes.</param>
/// <param name="ServedBy">The space whose version of <paramref name="Service"/> made the call.</param>
/// <param name="Exact">True: the call carried the same W3C <c>traceparent</c> trace id as a request with the key.
/// False: a best guess from timing (the service was serving a request with the key when this call arrived).</param>
public sealed record KeyDrop(string Space, string Service, string ServedBy, bool Exact);
