namespace DevSpaces.Core.Cluster;

/// <summary>Which cluster a call goes to, for messages.</summary>
public sealed record ClusterTarget(string Context, string? Server, string? User);
