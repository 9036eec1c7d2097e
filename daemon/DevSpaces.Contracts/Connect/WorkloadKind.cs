namespace DevSpaces.Contracts;

/// <summary>The kinds of workload connect takes over (apps/v1).</summary>
public enum WorkloadKind
{
    /// <summary>A Deployment: scaled to 0 while connected.</summary>
    Deployment,

    /// <summary>A StatefulSet: scaled to 0 while connected, like a Deployment.</summary>
    StatefulSet,
}
