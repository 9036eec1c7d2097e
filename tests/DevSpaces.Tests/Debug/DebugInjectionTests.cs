using DevSpaces.Contracts;
using DevSpaces.Core.Debug;
using DevSpaces.Core.Errors;
using k8s.Models;

namespace DevSpaces.Tests.Debug;

public class DebugInjectionTests
{
    private string folder = null!;

    [SetUp]
    public void CreateFolder() => folder = Directory.CreateTempSubdirectory("devspaces-debug-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(folder, true);

    [Test]
    public void Node_Gets_The_Inspector_On_Loopback_Before_Its_Own_Options_And_Loses_Every_Probe()
    {
        var container = Container(new V1EnvVar { Name = "NODE_OPTIONS", Value = "--max-old-space-size=256" });
        var setup = DebugInjection.Apply(container, ["node", "server.js"], folder, stopOnEntry: false);
        Assert.Multiple(() =>
        {
            Assert.That(setup.Runtime, Is.EqualTo(DebugRuntime.Node));
            Assert.That(setup.RemotePort, Is.EqualTo(9229));
            Assert.That(container.Env.Single(e => e.Name == "NODE_OPTIONS").Value, Is.EqualTo("--inspect=127.0.0.1:9229 --max-old-space-size=256"));
            Assert.That(container.LivenessProbe, Is.Null);
            Assert.That(container.ReadinessProbe, Is.Null);
            Assert.That(container.StartupProbe, Is.Null);
            Assert.That(setup.Warnings, Is.Empty);
        });
    }

    [Test]
    public void Stop_On_Entry_Is_Inspect_Brk_For_Node_And_Suspend_For_Java()
    {
        var node = Container();
        DebugInjection.Apply(node, ["/usr/local/bin/node", "app.js"], folder, stopOnEntry: true);
        var java = Container();
        var setup = DebugInjection.Apply(java, ["java", "-jar", "/app/app.jar"], folder, stopOnEntry: true);
        Assert.That(node.Env.Single(e => e.Name == "NODE_OPTIONS").Value, Is.EqualTo("--inspect-brk=127.0.0.1:9229"));
        Assert.That(java.Env.Single(e => e.Name == "JAVA_TOOL_OPTIONS").Value, Is.EqualTo("-agentlib:jdwp=transport=dt_socket,server=y,suspend=y,address=127.0.0.1:5005"));
        Assert.That(setup.RemotePort, Is.EqualTo(5005));
        Assert.That(setup.StopOnEntry, Is.True);
    }

    [Test]
    public void An_App_Started_Through_Npm_Is_Debugged_With_A_Warning_Naming_The_Fix()
    {
        var setup = DebugInjection.Apply(Container(), ["npm", "start"], folder, stopOnEntry: false);
        Assert.That(setup.Runtime, Is.EqualTo(DebugRuntime.Node));
        Assert.That(setup.Warnings.Single(), Does.Contain("run.command").And.Contain("npm"));
    }

    [Test]
    public void A_Script_Command_Falls_Back_To_The_Project_In_The_Folder()
    {
        File.WriteAllText(Path.Combine(folder, "pom.xml"), "<project><artifactId>quotes</artifactId></project>");
        Assert.That(DebugInjection.RuntimeOf(["/app/start.sh"], folder), Is.EqualTo(DebugRuntime.Java));
    }

    [Test]
    public void DotNet_Stop_On_Entry_Makes_The_Runtime_Wait_On_Its_Diagnostic_Socket_And_Has_No_Port()
    {
        var container = Container(new V1EnvVar { Name = DebugInjection.DotNetSuspendVariable, Value = "0" });
        var setup = DebugInjection.Apply(container, ["dotnet", "Api.dll"], folder, stopOnEntry: true);
        Assert.That(setup.RemotePort, Is.Null);
        Assert.That(setup.StopOnEntry, Is.True);
        Assert.That(container.Env.Where(e => e.Name == "DOTNET_DefaultDiagnosticPortSuspend").Select(e => e.Value), Is.EqualTo(new[] { "1" }));
        Assert.That(container.LivenessProbe, Is.Null);
    }

    [Test]
    public void DotNet_Without_Stop_On_Entry_Starts_At_Once()
    {
        var container = Container();
        var setup = DebugInjection.Apply(container, ["dotnet", "Api.dll"], folder, stopOnEntry: false);
        Assert.That(setup.StopOnEntry, Is.False);
        Assert.That(container.Env.Select(e => e.Name), Does.Not.Contain(DebugInjection.DotNetSuspendVariable));
    }

    [Test]
    public void An_Unknown_Runtime_Is_An_Error_Naming_The_Command_And_The_Fix()
    {
        var error = Assert.Throws<DevSpacesException>(() => DebugInjection.RuntimeOf(["/app/server"], folder));
        Assert.That(error!.ErrorCode, Is.EqualTo(RpcErrorCode.DebugRuntimeUnknown));
        Assert.That(error.Message, Does.Contain("/app/server"));
        Assert.That(error.Hint, Does.Contain("run.command"));
    }

    private static V1Container Container(params V1EnvVar[] env) => new()
    {
        Name = "app",
        Env = [.. env],
        LivenessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Path = "/", Port = "http" } },
        ReadinessProbe = new V1Probe { TcpSocket = new V1TCPSocketAction { Port = "http" } },
        StartupProbe = new V1Probe { TcpSocket = new V1TCPSocketAction { Port = "http" } },
    };
}
