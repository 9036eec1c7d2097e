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
    string ServedBy);
