using System.Text.Json.Nodes;
using DevSpaces.Contracts;
using DevSpaces.Core.Debug;
using DevSpaces.Core.Errors;
using DevSpaces.Tests.Support;
using DevSpaces.Core.Project;

namespace DevSpaces.Tests.Debug;

public class LaunchConfigurationsTests
{
    private string folder = null!;

    [SetUp]
    public void CreateFolder() => folder = Directory.CreateTempSubdirectory("devspaces-launch-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(folder, true);

    [Test]
    public void Node_Attaches_To_The_Forwarded_Inspector_With_Paths_From_Sync_And_Restarts()
    {
        var config = LaunchConfigurations.Attach(Project(sync: "/srv/app"), DebugRuntime.Node, 9300, "${workspaceFolder}");
        Assert.That(config.ToJsonString(), Is.EqualTo(new JsonObject
        {
            ["type"] = "node",
            ["request"] = "attach",
            ["name"] = "web: attach in the cluster (DevSpaces)",
            ["address"] = "127.0.0.1",
            ["port"] = 9300,
            ["localRoot"] = "${workspaceFolder}",
            ["remoteRoot"] = "/srv/app",
            ["restart"] = true,
            ["skipFiles"] = new JsonArray("<node_internals>/**"),
        }.ToJsonString()));
    }

    [Test]
    public void Java_Uses_The_Documented_Attach_Fields_With_The_Maven_Artifact_And_Its_Sources()
    {
        File.WriteAllText(Path.Combine(folder, "pom.xml"), "<project><parent><artifactId>base</artifactId></parent><artifactId>quotes</artifactId></project>");
        Directory.CreateDirectory(Path.Combine(folder, "src", "main", "java"));
        var config = LaunchConfigurations.Attach(Project(sync: null), DebugRuntime.Java, null, "${workspaceFolder}");
        Assert.Multiple(() =>
        {
            // The Debugger for Java's attach request: hostName, port, projectName, sourcePaths.
            Assert.That(config["type"]!.GetValue<string>(), Is.EqualTo("java"));
            Assert.That(config["request"]!.GetValue<string>(), Is.EqualTo("attach"));
            Assert.That(config["hostName"]!.GetValue<string>(), Is.EqualTo("127.0.0.1"));
            Assert.That(config["port"]!.GetValue<int>(), Is.EqualTo(5005), "the usual JDWP port when none is given");
            Assert.That(config["projectName"]!.GetValue<string>(), Is.EqualTo("quotes"), "the project's own artifactId, not its parent's");
            Assert.That(config["sourcePaths"]!.AsArray().Select(p => p!.GetValue<string>()), Is.EqualTo(new[] { "${workspaceFolder}/src/main/java" }));
            Assert.That(config.Select(p => p.Key), Is.EquivalentTo(new[] { "type", "request", "name", "hostName", "port", "projectName", "sourcePaths" }));
        });
    }

    [Test]
    public void DotNet_Attaches_Through_A_Pipe_Transport_Running_Devspaces_Exec()
    {
        var json = LaunchConfigurations.LaunchJson(Project(sync: null), DebugRuntime.DotNet, null, "/src/api");
        var config = json["configurations"]![0]!;
        Assert.That(json["version"]!.GetValue<string>(), Is.EqualTo("0.2.0"));
        Assert.That(config["type"]!.GetValue<string>(), Is.EqualTo("coreclr"));
        Assert.That(config["processId"]!.GetValue<string>(), Is.EqualTo("${command:pickRemoteProcess}"), "no pid known: the C# extension's picker");
        Assert.That(config["pipeTransport"]!["pipeProgram"]!.GetValue<string>(), Is.EqualTo("devspaces"));
        Assert.That(config["pipeTransport"]!["pipeArgs"]!.AsArray().Select(a => a!.GetValue<string>()), Is.EqualTo(new[] { "exec", "web", "--resume-after-attach", "--" }));
        Assert.That(config["pipeTransport"]!["debuggerPath"]!.GetValue<string>(), Is.EqualTo("/devspaces-debugger/vsdbg"));
    }

    [Test]
    public void DotNet_Names_The_Pid_The_Space_And_The_Debugger_When_Known_In_The_C_Sharp_Extensions_Fields()
    {
        var config = LaunchConfigurations.Attach(Project(sync: null), DebugRuntime.DotNet, 42, "${workspaceFolder}", "/devspaces-debugger/netcoredbg", "alice");
        Assert.That(config["processId"]!.GetValue<int>(), Is.EqualTo(42));
        var pipe = config["pipeTransport"]!.AsObject();
        Assert.That(pipe["pipeArgs"]!.AsArray().Select(a => a!.GetValue<string>()), Is.EqualTo(new[] { "exec", "web", "--space", "alice", "--resume-after-attach", "--" }));
        Assert.That(pipe["debuggerPath"]!.GetValue<string>(), Is.EqualTo("/devspaces-debugger/netcoredbg"));
        Assert.That(pipe.Select(p => p.Key), Is.EquivalentTo(new[] { "pipeCwd", "pipeProgram", "pipeArgs", "debuggerPath", "quoteArgs" }), "only the documented pipeTransport fields");
        Assert.That(pipe["quoteArgs"]!.GetValue<bool>(), Is.False, "the debugger's command line reaches devspaces exec as separate arguments");
        Assert.That(config["sourceFileMap"]!["/src"]!.GetValue<string>(), Is.EqualTo("${workspaceFolder}"));
        Assert.That(config.Select(p => p.Key), Is.EquivalentTo(new[] { "type", "request", "name", "processId", "pipeTransport", "sourceFileMap" }));
    }

    [Test]
    public void The_Debugger_Path_Follows_The_Configured_Folder_Netcoredbg_Or_Vsdbg()
    {
        using var debugger = new TempDirectory();
        Assert.That(() => DotNetDebugger.Validate(debugger.Path), Throws.InstanceOf<DevSpacesException>().With.Message.Contains("neither vsdbg nor netcoredbg").And.Property("Hint").Contains(DotNetDebugger.FolderVariable));
        Assert.That(() => DotNetDebugger.Validate(Path.Combine(debugger.Path, "missing")), Throws.InstanceOf<DevSpacesException>().With.Message.Contains("is not a folder"));
        File.WriteAllText(Path.Combine(debugger.Path, "netcoredbg"), "");
        Assert.That(DotNetDebugger.Validate(debugger.Path), Is.EqualTo("netcoredbg"));
        Assert.That(DotNetDebugger.RemotePath(debugger.Path), Is.EqualTo("/devspaces-debugger/netcoredbg"));
        File.WriteAllText(Path.Combine(debugger.Path, "vsdbg"), "");
        Assert.That(DotNetDebugger.RemotePath(debugger.Path), Is.EqualTo("/devspaces-debugger/vsdbg"));
        Assert.That(DotNetDebugger.RemotePath(null), Is.EqualTo("/devspaces-debugger/vsdbg"));
    }

    [Test]
    public void The_Helpers_Process_Lines_Are_Read_And_One_Process_Is_Picked_Or_The_Choice_Named()
    {
        var processes = DotNetProcessFinder.Parse("""
            {"pid":7,"runtimeVersion":"10.0.1","entryAssembly":"Api","commandLine":"dotnet /app/Api.dll --urls \"x y\""}
            {"pid":9,"runtimeVersion":"10.0.1","entryAssembly":"Worker","commandLine":"/usr/bin/dotnet"}

            """);
        Assert.That(processes, Is.EqualTo(new[] { new DotNetProcess(7, "10.0.1", "Api", "dotnet /app/Api.dll --urls \"x y\""), new DotNetProcess(9, "10.0.1", "Worker", "/usr/bin/dotnet") }));
        Assert.That(DotNetProcessFinder.Pick(processes, 9, "api", "alice").EntryAssembly, Is.EqualTo("Worker"));
        Assert.That(DotNetProcessFinder.Pick(processes.Take(1).ToList(), null, "api", "alice").Pid, Is.EqualTo(7));
        var several = Assert.Throws<DevSpacesException>(() => DotNetProcessFinder.Pick(processes, null, "api", "alice"));
        Assert.That(several!.Message, Does.Contain("7 (Api); 9 (Worker)"));
        Assert.That(several.Hint, Does.Contain("--pid"));
        Assert.That(Assert.Throws<DevSpacesException>(() => DotNetProcessFinder.Pick([], null, "api", "alice"))!.Message, Does.Contain("runs no .NET process"));
    }

    private ProjectFile Project(string? sync) => new(
        Path.Combine(folder, ProjectFile.FileName),
        "web",
        new ProjectBuild(folder, Path.Combine(folder, "Dockerfile"), new Dictionary<string, string>(), "web"),
        new ProjectDeploy([], null),
        new ProjectRun(null, "/app", null),
        sync == null ? null : new ProjectSync(sync, GlobList.Everything, ProjectSync.DefaultIgnoreFiles),
        [],
        null);
}
