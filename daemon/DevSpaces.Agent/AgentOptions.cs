using DevSpaces.Tunnel.Takeover;

namespace DevSpaces.Agent;

/// <summary>The agent's settings, from the environment its pod spec sets.</summary>
public sealed record AgentOptions(
    string Namespace,
    string Workload,
    string Session,
    string SessionKey,
    IReadOnlyList<int> Ports,
    TimeSpan HeartbeatTimeout,
    TimeSpan FirstContactTimeout)
{
    /// <summary>The taken-over workload's kind (Deployment unless the pod spec says StatefulSet).</summary>
    public string Kind { get; init; } = TakeoverNames.DeploymentKind;

    /// <summary>For an isolated session: the Service it created in this (child) namespace, deleted on restore.</summary>
    public string? IsolatedService { get; init; }

    public static AgentOptions FromEnvironment(Func<string, string?> get)
    {
        string Required(string name) => get(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"environment variable {name} is not set (the agent runs only in a pod made by devspaces connect)");

        var ports = Required("DEVSPACES_PORTS").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => int.TryParse(p, out var n) && n is > 0 and < 65536 ? n : throw new InvalidOperationException($"DEVSPACES_PORTS has a bad port '{p}'"))
            .ToList();
        return new AgentOptions(
            Required("DEVSPACES_NAMESPACE"),
            Required("DEVSPACES_WORKLOAD"),
            Required("DEVSPACES_SESSION"),
            Required("DEVSPACES_SESSION_KEY"),
            ports,
            TimeSpan.FromSeconds(double.TryParse(get("DEVSPACES_HEARTBEAT_TIMEOUT"), out var h) ? h : 6),
            TimeSpan.FromSeconds(double.TryParse(get("DEVSPACES_FIRST_CONTACT_TIMEOUT"), out var f) ? f : 30))
        {
            Kind = get("DEVSPACES_WORKLOAD_KIND") is TakeoverNames.StatefulSetKind ? TakeoverNames.StatefulSetKind : TakeoverNames.DeploymentKind,
            IsolatedService = get("DEVSPACES_ISOLATED_SERVICE") is { Length: > 0 } isolated ? isolated : null,
        };
    }
}
