namespace DevSpaces.Core.Connect;

/// <summary>One line of a hosts-file section: a loopback address and the names that resolve to it.</summary>
/// <param name="Address">The address, e.g. <c>127.77.12.34</c>.</param>
/// <param name="Names">The host names, e.g. <c>quotes quotes.dev quotes.dev.svc quotes.dev.svc.cluster.local</c>.</param>
public sealed record HostsEntry(string Address, IReadOnlyList<string> Names);
