namespace DevSpaces.Core.Up;

/// <summary>Where the helper comes from and how patient <c>up</c> is.</summary>
public sealed record UpSettings
{
    public const string DefaultHelperBaseImage = "debian:bookworm-slim";

    /// <summary>The helper's executable and Dockerfile; by default the <c>helper</c> folder next to the executable.</summary>
    public string HelperDirectory { get; init; } = Path.Combine(AppContext.BaseDirectory, "helper");

    /// <summary>Any glibc image: the helper's image only copies the helper into the pod.</summary>
    public string HelperBaseImage { get; init; } = DefaultHelperBaseImage;

    /// <summary>The repository the content-tagged helper image goes into.</summary>
    public string HelperRepository { get; init; } = "devspaces/helper";

    /// <summary>How long a rollout may take.</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(180);

    /// <summary>How long the app has to stop after SIGTERM before a restart kills it.</summary>
    public TimeSpan RestartGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long after a restart the app's state is reported, so an app failing at start shows as failed.</summary>
    public TimeSpan RestartSettle { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>How long a restart waits for the app to listen on its port before saying it does not.</summary>
    public TimeSpan RestartReadyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A local folder with a Linux build of vsdbg or netcoredbg, copied into the pod of a .NET service up in debug mode.</summary>
    public string? DotNetDebuggerFolder { get; init; }

    /// <summary>The defaults, with the helper's base image from <c>DEVSPACES_HELPER_BASE_IMAGE</c> when set (a cluster without a registry) and the .NET debugger from <c>DEVSPACES_DOTNET_DEBUGGER</c>.</summary>
    public static UpSettings FromEnvironment(Func<string, string?> environment) => new()
    {
        HelperBaseImage = environment("DEVSPACES_HELPER_BASE_IMAGE") is { Length: > 0 } image ? image : DefaultHelperBaseImage,
        DotNetDebuggerFolder = environment(Debug.DotNetDebugger.FolderVariable) is { Length: > 0 } debugger ? Path.GetFullPath(debugger) : null,
    };
}
