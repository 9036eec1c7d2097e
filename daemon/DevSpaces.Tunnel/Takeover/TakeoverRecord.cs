using System.Text.Json;
using System.Text.Json.Serialization;

namespace DevSpaces.Tunnel.Takeover;

/// <summary>
/// What a connect session changed, kept in the cluster (annotation on the workload and in the session Secret) so
/// that the daemon, the agent or the next <c>devspaces</c> run can restore it exactly.
/// </summary>
/// <param name="Session">Random id of the session.</param>
/// <param name="Owner">Who connected: <c>user@host</c>.</param>
/// <param name="Host">The machine the daemon runs on.</param>
/// <param name="ProcessId">The daemon's process id on <paramref name="Host"/>; a dead process marks remains of a crash.</param>
/// <param name="StartedAt">When the session began (UTC).</param>
/// <param name="Workload">The name of the taken-over workload (a Deployment or StatefulSet; the agent's pod spec says which).</param>
/// <param name="Replicas">Its replicas before the takeover.</param>
/// <param name="Service">The Service the session serves.</param>
/// <param name="ServiceSelector">
/// The Service's selector before the session, put back exactly on restore: the session points it at the agent's
/// pods. Null in records of sessions that left the Service alone.
/// </param>
/// <param name="KeepOriginal">
/// True when the original replicas keep running next to the agent; otherwise they are scaled to 0 once the
/// Service's endpoints are the agent's, and back to <paramref name="Replicas"/> on restore.
/// </param>
/// <param name="IsolatedFrom">
/// Set for an isolated session: the space holding the workload, which is not changed at all; the session's objects
/// (agent, Service of the same name) live in the child space. Null when the workload itself was taken over.
/// </param>
public sealed record TakeoverRecord(
    string Session,
    string Owner,
    string Host,
    int ProcessId,
    DateTimeOffset StartedAt,
    string Workload,
    int Replicas,
    string Service,
    IReadOnlyDictionary<string, string>? ServiceSelector = null,
    bool KeepOriginal = false,
    string? IsolatedFrom = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Null when the text is not a record (someone edited the annotation by hand).</summary>
    public static TakeoverRecord? Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<TakeoverRecord>(json, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
