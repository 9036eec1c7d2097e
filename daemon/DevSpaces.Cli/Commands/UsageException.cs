namespace DevSpaces.Cli.Commands;

/// <summary>The command line itself is wrong (exit code 2).</summary>
public sealed class UsageException(string message) : Exception(message);
