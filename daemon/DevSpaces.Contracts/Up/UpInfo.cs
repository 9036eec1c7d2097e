namespace DevSpaces.Contracts;

/// <summary>A service that is up.</summary>
/// <param name="Id">Names it in <c>up/stop</c> and <c>up/event</c>.</param>
/// <param name="Service">The service's name.</param>
/// <param name="Space">The space (namespace) it runs in.</param>
/// <param name="Folder">The local folder that is synced.</param>
/// <param name="Url">The forwarded port on this machine (<c>http://127.0.0.1:PORT/</c>); null when devspaces.yaml forwards none.</param>
/// <param name="Image">The image the pod runs.</param>
/// <param name="Pod">The pod that runs the code now.</param>
/// <param name="Watching">True while saved changes are synced.</param>
/// <param name="Debug">How to attach a debugger when it runs in debug mode; null otherwise.</param>
public sealed record UpInfo(string Id, string Service, string Space, string Folder, string? Url, string Image, string Pod, bool Watching, UpDebugInfo? Debug = null);

/// <summary>The services a daemon keeps up.</summary>
public sealed record UpList(IReadOnlyList<UpInfo> Services);

/// <summary>What <c>down</c> did.</summary>
/// <param name="Service">The service's name.</param>
/// <param name="Space">The space.</param>
/// <param name="Actions">One line per object: "deleted Deployment/api", "restored Service/api".</param>
public sealed record DownInfo(string Service, string Space, IReadOnlyList<string> Actions);

/// <summary>Something that happened to a service that is up (<c>up/event</c>).</summary>
/// <param name="Id">The up's id; null before it is known.</param>
/// <param name="Service">The service.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Message">For the user: one line, or one log line of the container.</param>
/// <param name="DurationMs">How long the step took, for steps that have a duration.</param>
/// <param name="Time">When (ISO 8601, UTC).</param>
public sealed record UpEventInfo(string? Id, string Service, UpEventKind Kind, string Message, long? DurationMs, string Time);

/// <summary>What happened to a service that is up.</summary>
public enum UpEventKind
{
    /// <summary>A step of getting it running (image, deploy, rollout, forward), with its duration.</summary>
    Step,

    /// <summary>A line of the image build's output.</summary>
    Build,

    /// <summary>A line the container wrote (stdout or stderr).</summary>
    Log,

    /// <summary>Changed files reached the container.</summary>
    Synced,

    /// <summary>The app's process restarted in its container (same pod).</summary>
    Restarted,

    /// <summary>The image was rebuilt and the service redeployed.</summary>
    Redeployed,

    /// <summary>A build step failed; the previous process keeps serving.</summary>
    BuildFailed,

    /// <summary>Something the user should know that does not stop the service: a file not synced, a lost connection being re-made.</summary>
    Warning,

    /// <summary>Watching stopped (up/stop, or the service was removed).</summary>
    Stopped,
}
