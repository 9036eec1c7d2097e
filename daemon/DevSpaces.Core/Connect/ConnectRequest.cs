namespace DevSpaces.Core.Connect;

/// <summary>What to connect: a Service of a namespace, served by the local process on <see cref="LocalPort"/>.</summary>
public sealed record ConnectRequest(string Namespace, string Service, int LocalPort)
{
    /// <summary>The container to stand in for, when the pods have several.</summary>
    public string? Container { get; init; }
}
