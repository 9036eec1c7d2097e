using DevSpaces.Cli.Daemon;
using DevSpaces.Contracts;
using DevSpaces.Tests.Support;

namespace DevSpaces.Tests.PortForwarding;

/// <summary>Errors of <c>portForward/*</c> and <c>image/build</c> that need no cluster, through the daemon's wire protocol.</summary>
public class PortForwardRpcErrorTests
{
    private TempDirectory _dir = null!;
    private DaemonConnection? _daemon;

    [SetUp]
    public void CreateFolder() => _dir = new TempDirectory();

    [TearDown]
    public async Task StopDaemon()
    {
        if (_daemon != null)
        {
            await _daemon.DisposeAsync();
        }

        _dir.Dispose();
    }

    [Test]
    public async Task An_Unreachable_Cluster_Is_Reported_As_Such_When_Starting_A_Forward()
    {
        var daemon = await StartAsync();
        var error = await daemon.ExpectErrorAsync("portForward/start", new { target = "deployment/api", ports = new[] { ":8080" }, space = "dev" });
        Assert.Multiple(() =>
        {
            Assert.That(error.Code, Is.EqualTo(RpcErrorCode.ClusterUnreachable));
            Assert.That(error.Hint, Is.Not.Null);
        });
    }

    [TestCase("job/api", "8080")]
    [TestCase("deployment/api", "eighty:80")]
    public async Task A_Malformed_Target_Or_Port_Says_What_Is_Accepted(string target, string port)
    {
        var daemon = await StartAsync();
        var error = await daemon.ExpectErrorAsync("portForward/start", new { target, ports = new[] { port } });
        Assert.Multiple(() =>
        {
            Assert.That(error.Code, Is.EqualTo(RpcErrorCode.InvalidPortForward));
            Assert.That(error.Hint, Does.Contain("NAME").Or.Contain("LOCAL:REMOTE"));
        });
    }

    [Test]
    public async Task Building_A_Missing_Folder_Names_It()
    {
        var daemon = await StartAsync();
        var missing = Path.Combine(_dir.Path, "no-such-app");
        var error = await daemon.ExpectErrorAsync("image/build", new { context = missing, repository = "team/api" });
        Assert.Multiple(() =>
        {
            Assert.That(error.Code, Is.EqualTo(RpcErrorCode.ImageBuildFailed));
            Assert.That(error.Message, Does.Contain(missing));
        });
    }

    [Test]
    public async Task The_Daemon_Announces_Port_Forwarding_And_Images()
    {
        _daemon = DaemonConnection.Start(new DaemonOptions(null, null, Kubeconfigs.Unreachable(_dir)));
        var initialized = await _daemon.InitializeAsync(_dir.Path);
        Assert.That(initialized.Capabilities, Does.Contain(Capabilities.PortForward).And.Contain(Capabilities.Images));
    }

    private async Task<DaemonConnection> StartAsync()
    {
        _daemon = DaemonConnection.Start(new DaemonOptions(null, null, Kubeconfigs.Unreachable(_dir)));
        await _daemon.InitializeAsync(_dir.Path);
        return _daemon;
    }
}
