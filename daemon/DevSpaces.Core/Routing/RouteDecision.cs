namespace DevSpaces.Core.Routing;

/// <summary>Where one request goes: the space whose version serves it and its address (null: not known yet).</summary>
/// <param name="ServedBy">The space whose version serves the request (the root for the baseline).</param>
/// <param name="Address">host:port of the Service to send it to.</param>
/// <param name="Space">The space of this tree the request is for (its key is passed on), or null for the baseline.</param>
public sealed record RouteDecision(string ServedBy, string? Address, string? Space)
{
    /// <summary><c>http://</c> and <see cref="Address"/>, made once: the forwarder's destination prefix.</summary>
    public string? Destination { get; } = Address is null ? null : "http://" + Address;
}
