using System.Diagnostics;
using DevSpaces.ClusterTests.Support;
using DevSpaces.Tunnel.Takeover;

namespace DevSpaces.ClusterTests.Connect;

/// <summary>
/// The <c>devspaces connect</c> command end to end, and what happens when it is killed: the agent notices the
/// missing heartbeat and restores the workload itself, leaving nothing behind.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ConnectCommandTests() : SampleSpaceFixture("connect-cli")
{
    [Test]
    [Repeat(5)]
    public async Task Killing_The_Connect_Command_Restores_The_Service_Within_10_Seconds_And_Leaves_Nothing()
    {
        using var command = new ConnectCommandProcess(Space.Cluster.KubeconfigPath, ["connect", "api", "--local-port", LocalHttpServer.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture), "--space", Space.Namespace]);
        await command.WaitForOutputAsync("press Ctrl-C", TimeSpan.FromMinutes(3));
        Assert.That(await Space.IsRestoredAsync("api", 1), Is.False, "the service is taken over while the command runs");

        await command.KillAndWaitUntilRestoredAsync(() => Space.IsRestoredAsync("api", 1), TimeSpan.FromSeconds(10), "deployment api");

        // The agent removes itself and the session's objects; list what is left until nothing is.
        // The deletes are ours and immediate; the kubelet's removal of the terminated pod is what can take long when the
        // container runtime stalls under load (seen: a container start blocking the kubelet for 60 s).
        await Space.WaitUntilCleanAsync("api", TimeSpan.FromSeconds(120));
        Assert.That(await Space.LeftoversAsync("api"), Is.Empty);
    }

    [Test]
    public async Task The_Command_Runs_With_The_Cluster_Environment_Writes_The_Env_File_And_Restores_When_It_Exits()
    {
        using var folder = new DevSpaces.Tests.Support.TempDirectory();
        var envFile = Path.Combine(folder.Path, "connect.env");
        var seen = Path.Combine(folder.Path, "seen.txt");
        using var command = new ConnectCommandProcess(Space.Cluster.KubeconfigPath,
            ["connect", "api", "--local-port", LocalHttpServer.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture), "--space", Space.Namespace, "--env-file", envFile,
             "--", "sh", "-c", $"echo \"$QUOTES_URL $POD_NAMESPACE\" > {seen}; exit 3"]);
        var exitCode = await command.WaitForExitAsync(TimeSpan.FromMinutes(3));

        Assert.That(exitCode, Is.EqualTo(3), $"the command's exit code is passed on; stderr:\n{command.StandardError}");
        var line = (await File.ReadAllTextAsync(seen)).Trim();
        Assert.That(line, Does.Match(@"^http://127\.0\.0\.1:\d+ " + Space.Namespace + "$"), "the command saw the cluster environment");
        var env = await File.ReadAllLinesAsync(envFile);
        Assert.That(env, Does.Contain($"POD_NAMESPACE={Space.Namespace}"));
        Assert.That(env.Any(l => l.StartsWith("QUOTES_SERVICE_HOST=127.0.0.1", StringComparison.Ordinal)), Is.True, string.Join("\n", env));
        Assert.That(command.StandardError, Does.Contain("Restored service api"));
        Assert.That(await Space.IsRestoredAsync("api", 1), Is.True);
    }

    [Test]
    public async Task Interrupting_The_Command_Restores_The_Service_Before_It_Exits()
    {
        using var command = new ConnectCommandProcess(Space.Cluster.KubeconfigPath, ["connect", "api", "--local-port", LocalHttpServer.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture), "--space", Space.Namespace]);
        await command.WaitForOutputAsync("press Ctrl-C", TimeSpan.FromMinutes(3));
        using (var signal = Process.Start("kill", ["-INT", command.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await signal.WaitForExitAsync();
        }

        Assert.That(await command.WaitForExitAsync(TimeSpan.FromSeconds(40)), Is.Zero, command.StandardError);
        Assert.That(await Space.IsRestoredAsync("api", 1), Is.True, "restored by the command itself before it exited");
        Assert.That(command.StandardError, Does.Contain("Restored service api"));
    }
}
