namespace DevSpaces.Contracts;

/// <summary>State of the connection to the cluster.</summary>
public enum ConnectionState
{
    /// <summary>Reaching the API server.</summary>
    Connecting,

    /// <summary>The API server answered.</summary>
    Connected,

    /// <summary>The API server could not be used; see the error.</summary>
    Failed,
}
