using k8s.Models;

namespace DevSpaces.Core.Connect;

/// <summary>
/// What a takeover of a Service changes: its workload (a Deployment or a StatefulSet), the container to stand in
/// for, and the ports.
/// </summary>
public sealed record TakeoverPlan(
    string Namespace,
    V1Service Service,
    Workload Workload,
    V1Container Container,
    IReadOnlyList<TakeoverPort> Ports)
{
    public string ServiceName => Service.Metadata.Name;

    /// <summary>What of the Service connect cannot carry (UDP ports), for warning events.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Keep the original replicas running and point the Service's selector at the agent's pods.</summary>
    public bool KeepOriginal { get; init; }

    /// <summary>Give the agent the container's HTTP/TCP probes instead of answering its own.</summary>
    public bool ForwardProbes { get; init; }

    /// <summary>
    /// For an isolated session: the child space the session's objects (agent, a Service of the same name) are made
    /// in; <see cref="Namespace"/> then holds the Service and workload that are only read, never changed.
    /// </summary>
    public string? IsolatedIn { get; init; }

    /// <summary>Where the session's objects live: the child space of an isolated session, else the Service's own.</summary>
    public string SessionNamespace => IsolatedIn ?? Namespace;

    /// <summary>
    /// True for a Service the root's router fronts (not isolated): its selector picks the router and is never changed;
    /// the agent's pods take the original pods' labels and join the router's baseline Service next to them instead.
    /// </summary>
    public bool RouterFronted => IsolatedIn is null && Routing.RoutePlanner.OriginalSpec(Service) is not null;

    /// <summary>True when the original replicas keep running: with <see cref="KeepOriginal"/>, and always when isolated.</summary>
    public bool OriginalKeepsRunning => KeepOriginal || IsolatedIn != null;
}
