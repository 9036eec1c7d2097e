namespace DevSpaces.Contracts;

/// <summary>Something that happened in a connect session (<c>connect/event</c>).</summary>
/// <param name="Session">The session id; null while it is being set up.</param>
/// <param name="Service">The service.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Message">For the user.</param>
/// <param name="Time">When (ISO 8601, UTC).</param>
public sealed record ConnectEventInfo(string? Session, string Service, ConnectEventKind Kind, string Message, string Time);
