using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Diagnostics.NETCore.Client;

namespace DevSpaces.Helper;

/// <summary>
/// The .NET processes of the container, found without <c>ps</c>: each .NET runtime publishes a diagnostic IPC socket
/// (<c>$TMPDIR/dotnet-diagnostic-&lt;pid&gt;-&lt;key&gt;-socket</c>), which Microsoft.Diagnostics.NETCore.Client lists and
/// asks for the process's runtime version, entry assembly and command line. A runtime started with
/// <c>DOTNET_DefaultDiagnosticPortSuspend=1</c> waits on that socket before running any managed code until it is
/// resumed here. Sockets left by processes that are gone refuse the connection and are skipped.
/// </summary>
internal static class DotNetProcesses
{
    /// <summary><c>devspaces-helper dotnet-processes</c>: one JSON object per process on stdout (pid, runtimeVersion, entryAssembly, commandLine).</summary>
    public static int List(TextWriter output, Action<string> log)
    {
        foreach (var pid in DiagnosticsClient.GetPublishedProcesses().Order())
        {
            object info;
            try
            {
                info = Internal.GetProcessInfo(new DiagnosticsClient(pid));
            }
            catch (Exception e) when (e is ServerNotAvailableException or UnsupportedCommandException or IOException or TimeoutException)
            {
                log($"pid {pid}: no answer on its diagnostic socket ({e.Message}); skipped");
                continue;
            }

            using var line = new MemoryStream();
            using (var json = new Utf8JsonWriter(line))
            {
                json.WriteStartObject();
                json.WriteNumber("pid", pid);
                json.WriteString("runtimeVersion", Internal.RuntimeVersion(info));
                json.WriteString("entryAssembly", Internal.EntryAssembly(info));
                json.WriteString("commandLine", Internal.CommandLine(info));
                json.WriteEndObject();
            }

            output.WriteLine(System.Text.Encoding.UTF8.GetString(line.ToArray()));
        }

        output.Flush();
        return 0;
    }

    /// <summary><c>devspaces-helper dotnet-resume PID</c>: lets a runtime that waits at start-up run.</summary>
    public static int Resume(string pidText, TextWriter error)
    {
        if (!int.TryParse(pidText, System.Globalization.CultureInfo.InvariantCulture, out var pid) || pid <= 0)
        {
            error.WriteLine($"devspaces-helper: dotnet-resume needs a process id, not '{pidText}'");
            return 2;
        }

        try
        {
            new DiagnosticsClient(pid).ResumeRuntime();
            return 0;
        }
        catch (Exception e) when (e is ServerNotAvailableException or ServerErrorException or UnsupportedCommandException or IOException or TimeoutException)
        {
            error.WriteLine($"devspaces-helper: pid {pid} cannot be resumed: {e.Message}");
            return 1;
        }
    }

    /// <summary>
    /// <c>GetProcessInfo</c> and its result type are internal in this version of the package; UnsafeAccessor reaches
    /// them without reflection, so NativeAOT compiles the call (a newer package that renames them fails at start-up of
    /// this verb with MissingMethodException, which the build's tests catch).
    /// </summary>
    private static class Internal
    {
        private const string ProcessInfo = "Microsoft.Diagnostics.NETCore.Client.ProcessInfo, Microsoft.Diagnostics.NETCore.Client";

        [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "GetProcessInfo")]
        [return: UnsafeAccessorType(ProcessInfo)]
        public static extern object GetProcessInfo(DiagnosticsClient client);

        [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "get_ClrProductVersionString")]
        public static extern string RuntimeVersion([UnsafeAccessorType(ProcessInfo)] object info);

        [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "get_ManagedEntrypointAssemblyName")]
        public static extern string EntryAssembly([UnsafeAccessorType(ProcessInfo)] object info);

        [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "get_CommandLine")]
        public static extern string CommandLine([UnsafeAccessorType(ProcessInfo)] object info);
    }
}
