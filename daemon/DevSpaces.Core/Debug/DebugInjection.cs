using DevSpaces.Contracts;
using DevSpaces.Core.Errors;
using DevSpaces.Core.Project;
using k8s.Models;

namespace DevSpaces.Core.Debug;

/// <summary>
/// Puts the code's container into debug mode: the runtime's debugger listens on the pod's loopback (reached through a
/// port-forward, never through the pod's network), set in the container's environment so every restart of the app by
/// the helper starts it the same way, and the container's probes are removed, so a process paused at a breakpoint is
/// neither restarted (liveness) nor held back from starting (readiness of a process waiting for its debugger).
/// </summary>
public static class DebugInjection
{
    /// <summary>The V8 inspector's usual port.</summary>
    public const int NodeInspectorPort = 9229;

    /// <summary>The usual JDWP port.</summary>
    public const int JdwpPort = 5005;

    /// <summary>Makes a .NET runtime wait at start-up on its default diagnostic socket until it is resumed.</summary>
    public const string DotNetSuspendVariable = "DOTNET_DefaultDiagnosticPortSuspend";

    private static readonly HashSet<string> NodeLaunchers = new(StringComparer.Ordinal) { "npm", "npx", "yarn", "pnpm" };

    /// <summary>The runtime that runs the app: from its command's executable, else from the project files in its folder.</summary>
    public static DebugRuntime RuntimeOf(IReadOnlyList<string> appCommand, string folder)
    {
        var executable = Path.GetFileName(appCommand.FirstOrDefault() ?? "");
        if (executable is "node" or "nodejs" || NodeLaunchers.Contains(executable))
        {
            return DebugRuntime.Node;
        }

        if (executable == "java")
        {
            return DebugRuntime.Java;
        }

        if (executable == "dotnet")
        {
            return DebugRuntime.DotNet;
        }

        try
        {
            return ProjectDetector.Detect(folder).Runtime switch
            {
                ProjectRuntime.Node => DebugRuntime.Node,
                ProjectRuntime.Java => DebugRuntime.Java,
                _ => DebugRuntime.DotNet,
            };
        }
        catch (DevSpacesException)
        {
            throw new DevSpacesException(
                RpcErrorCode.DebugRuntimeUnknown,
                $"Debug mode cannot tell which runtime runs '{string.Join(' ', appCommand)}': it is not node, java or dotnet, and {folder} holds no package.json, Java project or *.csproj.",
                "Start the app with node, java or dotnet in run.command of devspaces.yaml, or run up without --debug.");
        }
    }

    /// <summary>The debug port on the pod's loopback for <paramref name="runtime"/>; null for .NET, whose debugger runs in the container.</summary>
    public static int? RemotePort(DebugRuntime runtime) => runtime switch
    {
        DebugRuntime.Node => NodeInspectorPort,
        DebugRuntime.Java => JdwpPort,
        _ => null,
    };

    /// <summary>Changes <paramref name="container"/> in place; <paramref name="appCommand"/> is what the helper starts.</summary>
    public static DebugSetup Apply(V1Container container, IReadOnlyList<string> appCommand, string folder, bool stopOnEntry)
    {
        var runtime = RuntimeOf(appCommand, folder);
        var warnings = new List<string>();
        switch (runtime)
        {
            case DebugRuntime.Node:
                Prepend(container, "NODE_OPTIONS", $"--inspect{(stopOnEntry ? "-brk" : "")}=127.0.0.1:{NodeInspectorPort}");
                if (NodeLaunchers.Contains(Path.GetFileName(appCommand[0])))
                {
                    warnings.Add($"The app starts through {Path.GetFileName(appCommand[0])}, which is a Node.js process itself and takes the inspector port before the app does. Set run.command in devspaces.yaml to node and the app's file (e.g. [node, server.js]) to debug the app.");
                }

                break;
            case DebugRuntime.Java:
                Prepend(container, "JAVA_TOOL_OPTIONS", $"-agentlib:jdwp=transport=dt_socket,server=y,suspend={(stopOnEntry ? "y" : "n")},address=127.0.0.1:{JdwpPort}");
                break;
            default:
                if (stopOnEntry)
                {
                    // The runtime waits on its default diagnostic socket before any managed code runs, until a
                    // ResumeRuntime command (devspaces debug --resume) lets it go; every restart waits again.
                    container.Env = [.. (container.Env ?? []).Where(e => e.Name != DotNetSuspendVariable), new V1EnvVar { Name = DotNetSuspendVariable, Value = "1" }];
                }

                break;
        }

        container.LivenessProbe = null;
        container.ReadinessProbe = null;
        container.StartupProbe = null;
        return new DebugSetup(runtime, RemotePort(runtime), stopOnEntry, warnings);
    }

    /// <summary>An emptyDir at <see cref="DotNetDebugger.RemoteFolder"/> in the code's container, which up fills with the user's debugger.</summary>
    public static void MountDebuggerFolder(V1PodSpec pod, V1Container container)
    {
        const string volume = "devspaces-debugger";
        pod.Volumes = [.. (pod.Volumes ?? []).Where(v => v.Name != volume), new V1Volume { Name = volume, EmptyDir = new V1EmptyDirVolumeSource() }];
        container.VolumeMounts = [.. (container.VolumeMounts ?? []).Where(m => m.Name != volume), new V1VolumeMount { Name = volume, MountPath = DotNetDebugger.RemoteFolder }];
    }

    /// <summary>Our options first, then the container's own (a literal value; one from a ConfigMap or Secret is replaced).</summary>
    private static void Prepend(V1Container container, string name, string options)
    {
        container.Env ??= [];
        var existing = container.Env.FirstOrDefault(e => e.Name == name);
        var own = existing?.ValueFrom == null && existing?.Value is { Length: > 0 } value ? " " + value : "";
        if (existing != null)
        {
            container.Env.Remove(existing);
        }

        container.Env.Add(new V1EnvVar { Name = name, Value = options + own });
    }
}
