namespace DevSpaces.Contracts;

/// <summary>A running connect session.</summary>
/// <param name="Session">Its id.</param>
/// <param name="Space">The namespace of the service.</param>
/// <param name="Service">The connected service.</param>
/// <param name="Workload">The workload taken over: its kind and name.</param>
/// <param name="Container">The container the local process stands in for.</param>
/// <param name="LocalPort">Where the local process listens.</param>
/// <param name="Owner">user@host that connected.</param>
/// <param name="StartedAt">When (ISO 8601, UTC).</param>
/// <param name="Environment">The environment for the local process.</param>
/// <param name="Endpoints">Cluster services reachable on this machine.</param>
/// <param name="Mounts">The container's volume mounts and their local copies (empty when mounts are not copied).</param>
public sealed record ConnectInfo(
    string Session,
    string Space,
    string Service,
    WorkloadInfo Workload,
    string Container,
    int LocalPort,
    string Owner,
    string StartedAt,
    IReadOnlyList<EnvironmentVariable> Environment,
    IReadOnlyList<ConnectEndpoint> Endpoints,
    IReadOnlyList<ConnectMount> Mounts);
