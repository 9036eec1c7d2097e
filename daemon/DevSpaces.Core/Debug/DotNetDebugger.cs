namespace DevSpaces.Core.Debug;

/// <summary>
/// The .NET debugger DevSpaces attaches with: the user's own Linux build of vsdbg or netcoredbg (neither can be
/// bundled), started in the container by the <c>coreclr</c> configuration's pipeTransport through
/// <c>devspaces exec</c>.
/// </summary>
public static class DotNetDebugger
{
    /// <summary>The folder in the container the debugger is expected in.</summary>
    public const string RemoteFolder = "/devspaces-debugger";

    /// <summary>The environment variable naming a local folder with a Linux build of vsdbg or netcoredbg.</summary>
    public const string FolderVariable = "DEVSPACES_DOTNET_DEBUGGER";

    /// <summary>The debugger executables DevSpaces knows, in the order it looks for them.</summary>
    public static readonly IReadOnlyList<string> Executables = ["vsdbg", "netcoredbg"];

    public const string Needs =
        "Attaching to .NET in the cluster needs a Linux x64 debugger in the container at " + RemoteFolder + "/vsdbg or " + RemoteFolder + "/netcoredbg: " +
        "vsdbg (Microsoft's, licensed for Visual Studio and VS Code only; its install script GetVsDbg.sh with -r linux-x64, or the folder the C# extension " +
        "downloads to ~/.vscode/extensions/ms-dotnettools.csharp-*/.debugger) or netcoredbg (MIT; Samsung/netcoredbg releases, netcoredbg-linux-amd64.tar.gz). " +
        "Put it into the image (e.g. COPY the unpacked folder to " + RemoteFolder + " in the Dockerfile). " +
        "The coreclr configuration's pipeTransport runs `devspaces exec <service> -- <debuggerPath> --interpreter=vscode` to start it there.";

    /// <summary>The debugger's path in the container for the configuration: netcoredbg when <paramref name="folder"/> holds netcoredbg and no vsdbg, else vsdbg.</summary>
    public static string RemotePath(string? folder)
    {
        var name = folder != null && Directory.Exists(folder)
            ? Executables.FirstOrDefault(e => File.Exists(Path.Combine(folder, e))) ?? Executables[0]
            : Executables[0];
        return $"{RemoteFolder}/{name}";
    }
}
