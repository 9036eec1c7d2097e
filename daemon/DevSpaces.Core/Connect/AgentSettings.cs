namespace DevSpaces.Core.Connect;

/// <summary>How the agent is built and how patient it is.</summary>
public sealed record AgentSettings
{
    public const string DefaultBaseImage = "mcr.microsoft.com/dotnet/runtime:10.0";

    /// <summary>The agent's build output and Dockerfile; by default the <c>agent</c> folder next to the executable.</summary>
    public string AgentDirectory { get; init; } = Path.Combine(AppContext.BaseDirectory, "agent");

    /// <summary>The runtime image the agent image is built on (any image with the .NET 10 runtime).</summary>
    public string BaseImage { get; init; } = DefaultBaseImage;

    /// <summary>The repository the content-tagged agent image goes into.</summary>
    public string Repository { get; init; } = "devspaces/agent";

    /// <summary>How long the agent waits without a heartbeat before it restores the workload itself.</summary>
    public TimeSpan HeartbeatTimeout { get; init; } = TimeSpan.FromSeconds(6);

    /// <summary>How often the daemon sends a heartbeat.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1.5);

    /// <summary>How long a new agent pod waits for its first tunnel before it restores.</summary>
    public TimeSpan FirstContactTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long the original keeps running after the Service's endpoints became the agent's, before it is scaled to 0
    /// and "connected" is reported, where the agent cannot see kube-proxy follow (see the agent's <c>RouteProbe</c>);
    /// also the longest the agent probes for it. Until kube-proxy has applied the endpoints, new connections may still
    /// go to the original.
    /// </summary>
    public TimeSpan EndpointsSettle { get; init; } = DevSpaces.Tunnel.Takeover.WorkloadRestorer.DefaultSettle;

    /// <summary>
    /// How long the daemon keeps the tunnel after a restore while the leaving agent ends the connections it carries,
    /// each after its next answer (the agent gives up after 10 s; see <c>AgentHost.DrainTimeout</c>).
    /// </summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long to wait for the agent pod to become ready.</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>The defaults, with the base image from <c>DEVSPACES_AGENT_BASE_IMAGE</c> when set (a cluster without a registry).</summary>
    public static AgentSettings FromEnvironment(Func<string, string?> environment) => new()
    {
        BaseImage = environment("DEVSPACES_AGENT_BASE_IMAGE") is { Length: > 0 } image ? image : DefaultBaseImage,
    };
}
