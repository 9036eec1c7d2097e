namespace DevSpaces.Contracts;

/// <summary>One variable of the local process's environment.</summary>
public sealed record EnvironmentVariable(string Name, string Value);
