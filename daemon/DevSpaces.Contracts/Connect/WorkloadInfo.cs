namespace DevSpaces.Contracts;

/// <summary>The workload a connect session took over.</summary>
/// <param name="Kind">A Deployment or a StatefulSet.</param>
/// <param name="Name">Its name in the session's space.</param>
public sealed record WorkloadInfo(WorkloadKind Kind, string Name);
