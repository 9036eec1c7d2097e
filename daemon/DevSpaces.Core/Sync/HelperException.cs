namespace DevSpaces.Core.Sync;

/// <summary>The helper refused a request, answered out of protocol, or the connection to it ended.</summary>
public sealed class HelperException(string message) : Exception(message);
