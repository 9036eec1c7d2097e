using System.Text;
using System.Text.Json;
using DevSpaces.Contracts;
using DevSpaces.Core.Errors;
using DevSpaces.Core.Sync;
using DevSpaces.Core.Up;
using DevSpaces.Helper.Protocol;

namespace DevSpaces.Core.Debug;

/// <summary>
/// Finds the .NET processes in a service's container and resumes one that waits at start-up, without <c>ps</c> or
/// anything else from the image: <c>exec</c> runs the helper (already in the container) with its
/// <c>dotnet-processes</c> and <c>dotnet-resume</c> verbs, which speak the runtime's diagnostic IPC.
/// </summary>
public sealed class DotNetProcessFinder(ServiceExec exec)
{
    public async Task<IReadOnlyList<DotNetProcess>> ListAsync(string ns, string service, CancellationToken cancellationToken)
    {
        var (code, output, error) = await RunHelperAsync(ns, service, ["dotnet-processes"], cancellationToken).ConfigureAwait(false);
        if (code != 0)
        {
            throw new DevSpacesException(RpcErrorCode.HelperFailed, $"Listing the .NET processes of {service} ('{ns}') failed: {error.Trim()}", "Run `devspaces up` in the service's folder again: it deploys the helper of this devspaces version.");
        }

        return Parse(output);
    }

    /// <summary>Lets <paramref name="pid"/> run (null: the one .NET process of the container).</summary>
    public async Task<DotNetProcess> ResumeAsync(string ns, string service, int? pid, CancellationToken cancellationToken)
    {
        var processes = await ListAsync(ns, service, cancellationToken).ConfigureAwait(false);
        var target = Pick(processes, pid, service, ns);
        var (code, _, error) = await RunHelperAsync(ns, service, ["dotnet-resume", target.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)], cancellationToken).ConfigureAwait(false);
        if (code != 0)
        {
            throw new DevSpacesException(RpcErrorCode.HelperFailed, $"Resuming pid {target.Pid} of {service} ('{ns}') failed: {error.Trim()}", "Check that the process still runs: devspaces debug --processes.");
        }

        return target;
    }

    /// <summary><paramref name="pid"/>'s process, or the only one when no pid is given.</summary>
    public static DotNetProcess Pick(IReadOnlyList<DotNetProcess> processes, int? pid, string service, string ns)
    {
        if (pid is { } wanted)
        {
            return processes.FirstOrDefault(p => p.Pid == wanted) ?? throw new DevSpacesException(
                RpcErrorCode.DebuggerMissing,
                $"{service} ('{ns}') has no .NET process {wanted}; it has {Describe(processes)}.",
                "Pick one of those with --pid.");
        }

        return processes.Count switch
        {
            1 => processes[0],
            0 => throw new DevSpacesException(RpcErrorCode.DebuggerMissing, $"{service} ('{ns}') runs no .NET process (no diagnostic socket in the container's /tmp).", "Check that the app runs with dotnet (devspaces.yaml run.command) and that DOTNET_EnableDiagnostics is not 0."),
            _ => throw new DevSpacesException(RpcErrorCode.DebuggerMissing, $"{service} ('{ns}') runs several .NET processes: {Describe(processes)}.", "Pick one with --pid."),
        };
    }

    /// <summary>The helper's lines: one JSON object per process.</summary>
    public static IReadOnlyList<DotNetProcess> Parse(string output)
    {
        var processes = new List<DotNetProcess>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            processes.Add(new DotNetProcess(
                root.GetProperty("pid").GetInt32(),
                root.GetProperty("runtimeVersion").GetString() ?? "",
                root.GetProperty("entryAssembly").GetString() ?? "",
                root.GetProperty("commandLine").GetString() ?? ""));
        }

        return processes;
    }

    private static string Describe(IReadOnlyList<DotNetProcess> processes) =>
        processes.Count == 0 ? "none" : string.Join("; ", processes.Select(p => $"{p.Pid} ({p.EntryAssembly})"));

    private async Task<(int Code, string Output, string Error)> RunHelperAsync(string ns, string service, string[] verb, CancellationToken cancellationToken)
    {
        using var output = new MemoryStream();
        using var error = new MemoryStream();
        var code = await exec.RunAsync(ns, service, new ExecRequest([HelperInjection.Executable, .. verb], "", []), Stream.Null, output, error, cancellationToken).ConfigureAwait(false);
        return (code, Encoding.UTF8.GetString(output.ToArray()), Encoding.UTF8.GetString(error.ToArray()));
    }
}
