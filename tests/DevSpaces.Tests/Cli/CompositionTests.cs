using System.Reflection;
using DevSpaces.Cli;
using DevSpaces.Cli.Commands;
using DevSpaces.Core.Cluster;
using DevSpaces.Core.Connect;
using DevSpaces.Core.Logging;
using DevSpaces.Tests.Support;
using Nerdbank.Streams;
using StreamJsonRpc;

namespace DevSpaces.Tests.Cli;

/// <summary>The composition root builds every graph of the executable: each one resolves, and is disposed without touching the outside.</summary>
public class CompositionTests
{
    private static readonly string[] DaemonOnly = [nameof(Composition.Lifecycle)];
    private static readonly string[] CliOnly = [nameof(Composition.ConnectCommand), nameof(Composition.PortForwardCommand), nameof(Composition.ImageCommand), nameof(Composition.ProjectCommand), nameof(Composition.UpCommand), nameof(Composition.RoutingCommand), nameof(Composition.PreviewCommand), nameof(Composition.DebugCommand), nameof(Composition.ExecCommand)];

    private TempDirectory dir = null!;

    [SetUp]
    public void CreateDirectory() => dir = new TempDirectory();

    [TearDown]
    public void RemoveDirectory() => dir.Dispose();

    private static IEnumerable<PropertyInfo> Services() => typeof(Composition).GetProperties(BindingFlags.Public | BindingFlags.Instance);

    private KubeconfigSource Kubeconfig() => new(Kubeconfigs.Unreachable(dir), null, dir.Path);

    /// <summary>A hosts file and runtime folder of the test's own, so nothing of this machine's is read or cleaned.</summary>
    private string? Environment(string name) => name switch
    {
        HostsFile.PathVariable => dir.File("hosts", "127.0.0.1 localhost\n"),
        "XDG_RUNTIME_DIR" => dir.Path,
        _ => null,
    };

    [Test]
    public async Task Every_Service_Of_The_Cli_Resolves()
    {
        var output = new CliOutput(new StringWriter(), new StringWriter(), json: false);
        await using var composition = Composition.ForCli(Kubeconfig(), new NullLog(), dir.Path, output, dir.Path, Environment);
        Assert.Multiple(() =>
        {
            foreach (var service in Services())
            {
                Assert.That(service.GetValue(composition), DaemonOnly.Contains(service.Name) ? Is.Null : Is.Not.Null, service.Name);
            }
        });
    }

    [Test]
    public async Task Every_Service_Of_The_Daemon_Resolves_And_Is_Registered_Once()
    {
        var (server, _) = FullDuplexStream.CreatePair();
        using var rpc = new JsonRpc(new HeaderDelimitedMessageHandler(server, server, new SystemTextJsonFormatter()));
        await using var composition = Composition.ForDaemon(Kubeconfig(), new NullLog(), rpc, "0.0.0-test", environment: Environment);
        Assert.Multiple(() =>
        {
            foreach (var service in Services())
            {
                Assert.That(service.GetValue(composition), CliOnly.Contains(service.Name) ? Is.Null : Is.Not.Null, service.Name);
            }
        });
    }

    [Test]
    public void The_Agent_Base_Image_Comes_From_The_Environment_Else_The_Public_Runtime_Image()
    {
        Assert.Multiple(() =>
        {
            Assert.That(AgentSettings.FromEnvironment(n => n == "DEVSPACES_AGENT_BASE_IMAGE" ? "local/aspnet:10" : null).BaseImage, Is.EqualTo("local/aspnet:10"));
            Assert.That(AgentSettings.FromEnvironment(_ => null).BaseImage, Is.EqualTo(AgentSettings.DefaultBaseImage));
            Assert.That(AgentSettings.FromEnvironment(_ => "").BaseImage, Is.EqualTo(AgentSettings.DefaultBaseImage));
        });
    }
}
