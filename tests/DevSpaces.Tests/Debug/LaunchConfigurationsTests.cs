using System.Text.Json.Nodes;
using DevSpaces.Contracts;
using DevSpaces.Core.Debug;
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
        Assert.That(config["pipeTransport"]!["pipeProgram"]!.GetValue<string>(), Is.EqualTo("devspaces"));
        Assert.That(config["pipeTransport"]!["pipeArgs"]!.AsArray().Select(a => a!.GetValue<string>()), Is.EqualTo(new[] { "exec", "web", "--" }));
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
