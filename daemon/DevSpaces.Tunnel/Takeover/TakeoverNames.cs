namespace DevSpaces.Tunnel.Takeover;

/// <summary>Names, labels and annotations of a connect session in the cluster.</summary>
public static class TakeoverNames
{
    /// <summary>
    /// On the taken-over workload: the <see cref="TakeoverRecord"/> as JSON, written before anything changes. When
    /// the original keeps running, also on the Service whose selector the session changes.
    /// </summary>
    public const string RecordAnnotation = "devspaces.io/connect";

    /// <summary>On every object a session creates; its value is the session id.</summary>
    public const string SessionLabel = "devspaces.io/connect-session";

    /// <summary>On the agent's pods: the name of the taken-over workload.</summary>
    public const string AgentLabel = "devspaces.io/connect-agent";

    /// <summary>
    /// On the Service an isolated session creates in a child space (next to the session label): the space whose
    /// version of the Service it stands in for. Only such a Service is ever deleted by a restore.
    /// </summary>
    public const string IsolatedLabel = "devspaces.io/connect-isolated-from";

    /// <summary>The kinds of workload a session takes over (apps/v1).</summary>
    public const string DeploymentKind = "Deployment";

    public const string StatefulSetKind = "StatefulSet";

    /// <summary>Keys of the session Secret.</summary>
    public const string SessionKeyField = "session-key";

    public const string RecordField = "record";

    /// <summary>The agent's tunnel port (reached by port-forward only) and its probe port.</summary>
    public const int TunnelPort = 47100;

    public const int HealthPort = 47101;

    /// <summary>The session Secret; it owns the agent's Deployment, ServiceAccount, Role and RoleBinding.</summary>
    public static string SessionSecret(string workload) => Limit($"devspaces-connect-{workload}");

    /// <summary>The agent's Deployment.</summary>
    public static string Agent(string workload) => Limit(workload + AgentSuffix);

    /// <summary>What every agent Deployment's name (and so its pods' names) carries.</summary>
    public const string AgentSuffix = "-devspaces-agent";

    /// <summary>
    /// The agent's ServiceAccount, Role and RoleBinding. Named per session: the garbage collector removes a previous
    /// session's ones some time after its Secret is gone, and a new session must not collide with them.
    /// </summary>
    public static string AgentAccess(string workload, string session)
    {
        var suffix = $"-devspaces-agent-{session}";
        return (workload.Length + suffix.Length <= 63 ? workload : workload[..(63 - suffix.Length)].TrimEnd('-')) + suffix;
    }

    private static string Limit(string name) => name.Length <= 63 ? name : name[..63].TrimEnd('-');
}
