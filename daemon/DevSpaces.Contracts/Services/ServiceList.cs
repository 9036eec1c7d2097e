namespace DevSpaces.Contracts;

/// <summary>Answer to <c>service/list</c>.</summary>
/// <param name="Space">The space listed.</param>
/// <param name="Services">Its services, sorted by name.</param>
public sealed record ServiceList(string Space, IReadOnlyList<ServiceInfo> Services);
