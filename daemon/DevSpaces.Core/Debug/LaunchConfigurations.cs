using System.Text.Json.Nodes;
using DevSpaces.Contracts;
using DevSpaces.Core.Project;

namespace DevSpaces.Core.Debug;

/// <summary>
/// The VS Code launch configuration that attaches the runtime's own debugger to a service in debug mode: Node.js
/// (<c>node</c> attach of js-debug, paths mapped from sync and re-attaching after each restart), Java (<c>java</c>
/// attach of the Debugger for Java: hostName, port, projectName, sourcePaths), .NET (<c>coreclr</c> attach through a
/// pipeTransport into the container).
/// </summary>
public static class LaunchConfigurations
{
    /// <summary>A whole <c>launch.json</c> with the one configuration.</summary>
    /// <param name="localRoot">The service's folder as the editor names it (e.g. <c>${workspaceFolder}</c>).</param>
    /// <param name="port">The local port of the debug forward (Node.js, Java); for .NET the app's pid in the container, when known.</param>
    /// <param name="debuggerPath">The .NET debugger's path in the container.</param>
    /// <param name="space">The space <c>devspaces exec</c> names (null: the one selected in the pipe's working directory).</param>
    public static JsonObject LaunchJson(ProjectFile project, DebugRuntime runtime, int? port, string localRoot, string? debuggerPath = null, string? space = null) => new()
    {
        ["version"] = "0.2.0",
        ["configurations"] = new JsonArray(Attach(project, runtime, port, localRoot, debuggerPath, space)),
    };

    public static JsonObject Attach(ProjectFile project, DebugRuntime runtime, int? port, string localRoot, string? debuggerPath = null, string? space = null)
    {
        var name = $"{project.Service}: attach in the cluster (DevSpaces)";
        var remoteRoot = project.Sync?.To ?? project.Run.WorkingDir ?? "/app";
        return runtime switch
        {
            DebugRuntime.Node => new JsonObject
            {
                ["type"] = "node",
                ["request"] = "attach",
                ["name"] = name,
                ["address"] = "127.0.0.1",
                ["port"] = port ?? DebugInjection.NodeInspectorPort,
                ["localRoot"] = localRoot,
                ["remoteRoot"] = remoteRoot,
                ["restart"] = true,
                ["skipFiles"] = new JsonArray("<node_internals>/**"),
            },
            DebugRuntime.Java => new JsonObject
            {
                ["type"] = "java",
                ["request"] = "attach",
                ["name"] = name,
                ["hostName"] = "127.0.0.1",
                ["port"] = port ?? DebugInjection.JdwpPort,
                ["projectName"] = JavaProjectName(project),
                ["sourcePaths"] = new JsonArray([.. JavaSourcePaths(project.Folder).Select(p => JsonValue.Create(Join(localRoot, p)))]),
            },
            _ => new JsonObject
            {
                ["type"] = "coreclr",
                ["request"] = "attach",
                ["name"] = name,
                // A number once known (it changes when the app restarts); else the C# extension's picker, which runs ps through the pipe.
                ["processId"] = port is { } pid ? pid : "${command:pickRemoteProcess}",
                ["pipeTransport"] = new JsonObject
                {
                    ["pipeCwd"] = localRoot,
                    ["pipeProgram"] = "devspaces",
                    // --resume-after-attach lets an app started with --stop-on-entry run once the debugger is configured.
                    ["pipeArgs"] = space == null
                        ? new JsonArray("exec", project.Service, "--resume-after-attach", "--")
                        : new JsonArray("exec", project.Service, "--space", space, "--resume-after-attach", "--"),
                    ["debuggerPath"] = debuggerPath ?? DotNetDebugger.RemotePath(null),
                    ["quoteArgs"] = false,
                },
                // The sample's and prep's Dockerfiles build in /src: the pdbs name those paths.
                ["sourceFileMap"] = new JsonObject { ["/src"] = localRoot },
            },
        };
    }

    /// <summary>The Java language server names a Maven project by its artifactId, others by their folder.</summary>
    private static string JavaProjectName(ProjectFile project)
    {
        var pom = Path.Combine(project.Folder, "pom.xml");
        try
        {
            var root = File.Exists(pom) ? System.Xml.Linq.XDocument.Load(pom).Root : null;
            var artifact = root?.Elements().FirstOrDefault(e => e.Name.LocalName == "artifactId")?.Value.Trim();
            return artifact is { Length: > 0 } ? artifact : Path.GetFileName(project.Folder);
        }
        catch (System.Xml.XmlException)
        {
            return Path.GetFileName(project.Folder);
        }
    }

    private static IEnumerable<string> JavaSourcePaths(string folder)
    {
        var conventional = Path.Combine("src", "main", "java");
        return Directory.Exists(Path.Combine(folder, conventional)) ? [conventional.Replace('\\', '/')] : [""];
    }

    private static string Join(string root, string relative) => relative.Length == 0 ? root : $"{root}/{relative}";
}
