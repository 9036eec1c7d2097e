namespace DevSpaces.Contracts;

/// <summary>Params of the <c>service/changed</c> notification.</summary>
/// <param name="Kind">Added, modified or deleted.</param>
/// <param name="Space">The space holding the service.</param>
/// <param name="Name">The service.</param>
public sealed record ServiceChange(ChangeKind Kind, string Space, string Name);
