using System.IO.Pipelines;
using DevSpaces.Contracts;
using DevSpaces.Core.Errors;
using DevSpaces.Core.Sync;
using DevSpaces.Helper.Protocol;

namespace DevSpaces.Core.Debug;

/// <summary>
/// The .NET debugger DevSpaces attaches with: the user's own Linux build of vsdbg or netcoredbg (neither can be
/// bundled), started in the container by the <c>coreclr</c> configuration's pipeTransport through
/// <c>devspaces exec</c>. With <see cref="FolderVariable"/> set, <c>up --debug</c> copies that folder into every pod
/// of the service (an emptyDir at <see cref="RemoteFolder"/>) through the helper; otherwise the image must hold it.
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
        "Attaching to .NET in the cluster needs a Linux x64 build of vsdbg or netcoredbg in the container: " +
        "vsdbg (Microsoft's, for Visual Studio and VS Code only; its script GetVsDbg.sh -v latest -r linux-x64 -l <folder>) or netcoredbg (MIT; " +
        "netcoredbg-linux-amd64.tar.gz of the Samsung/netcoredbg releases, unpacked). Set " + FolderVariable + " to that local folder (the one holding " +
        "vsdbg or netcoredbg) before `devspaces up --debug`, which copies it into the pod at " + RemoteFolder + ", or put it into the image at " + RemoteFolder + ". " +
        "The coreclr configuration's pipeTransport runs `devspaces exec <service> -- " + RemoteFolder + "/<debugger> --interpreter=vscode` to start it there.";

    /// <summary>Checks the folder <see cref="FolderVariable"/> names before anything is deployed; the debugger's file name.</summary>
    public static string Validate(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new DevSpacesException(RpcErrorCode.DebuggerMissing, $"{FolderVariable} names {folder}, which is not a folder.", Needs);
        }

        return Executables.FirstOrDefault(e => File.Exists(Path.Combine(folder, e))) ?? throw new DevSpacesException(
            RpcErrorCode.DebuggerMissing,
            $"{FolderVariable} names {folder}, which holds neither vsdbg nor netcoredbg.",
            Needs);
    }

    /// <summary>
    /// Copies <paramref name="folder"/> into <see cref="RemoteFolder"/> of the container through <paramref name="helper"/>
    /// (a fresh connection, which the copy uses up): the helper's <c>receive</c> verb run by exec reads the sync
    /// protocol's batch of every file (executable bits kept) from its input. The number of files copied.
    /// </summary>
    public static async Task<int> CopyAsync(HelperClient helper, string folder, CancellationToken cancellationToken)
    {
        var scanner = new FolderScanner(folder, new SyncRules(null, [], long.MaxValue));
        scanner.ScanAll();
        var plan = SyncPlanner.Plan(scanner.Files, new Dictionary<string, FileEntry>(), scanner.Rules, scanner.SkippedPaths);
        var pipe = new Pipe();
        using var output = new MemoryStream();
        using var error = new MemoryStream();
        var writing = WriteAsync(pipe.Writer, plan, folder, cancellationToken);
        var code = await helper.ExecAsync(new ExecRequest([HelperInjection.Executable, "receive", RemoteFolder], "", []), pipe.Reader.AsStream(), output, error, cancellationToken).ConfigureAwait(false);
        await writing.ConfigureAwait(false);
        if (code != 0)
        {
            throw new DevSpacesException(RpcErrorCode.DebuggerMissing, $"Copying the debugger from {folder} into the container failed: {System.Text.Encoding.UTF8.GetString(error.ToArray()).Trim()}", $"Check {FolderVariable}; `devspaces up --debug` again copies it anew.");
        }

        return plan.Upserts.Count;

        static async Task WriteAsync(PipeWriter writer, SyncPlan plan, string folder, CancellationToken cancellationToken)
        {
            try
            {
                await HelperClient.WriteBatchAsync(new FrameStream(writer.AsStream()), 1, plan, folder, cancellationToken).ConfigureAwait(false);
                await writer.CompleteAsync().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                await writer.CompleteAsync(e).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The debugger's path in the container for the configuration: netcoredbg when <paramref name="folder"/> holds netcoredbg and no vsdbg, else vsdbg.</summary>
    public static string RemotePath(string? folder)
    {
        var name = folder != null && Directory.Exists(folder)
            ? Executables.FirstOrDefault(e => File.Exists(Path.Combine(folder, e))) ?? Executables[0]
            : Executables[0];
        return $"{RemoteFolder}/{name}";
    }
}
