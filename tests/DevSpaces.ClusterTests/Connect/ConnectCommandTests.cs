using System.Diagnostics;
using DevSpaces.ClusterTests.Support;
using DevSpaces.Tests.Support;
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
    public async Task Killing_The_Connect_Command_Restores_The_Service_Within_30_Seconds_And_Leaves_Nothing()
    {
        using var command = new ConnectCommandProcess(Space.Cluster.KubeconfigPath, ["connect", "api", "--local-port", LocalHttpServer.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture), "--space", Space.Namespace]);
        await command.WaitForOutputAsync("press Ctrl-C", TimeSpan.FromMinutes(3));
        Assert.That(await Space.IsRestoredAsync("api", 1), Is.False, "the service is taken over while the command runs");

        await command.KillAndWaitUntilRestoredAsync(() => Space.IsRestoredAsync("api", 1), ConnectCommandProcess.RestoredAfterKill, "deployment api");

        // The agent removes itself and the session's objects; list what is left until nothing is.
        // The deletes are ours and immediate; the kubelet's removal of the terminated pod is what can take long when the
        // container runtime stalls under load (seen: a container start blocking the kubelet for 60 s).
        await Space.WaitUntilCleanAsync("api", TimeSpan.FromSeconds(120));
        Assert.That(await Space.LeftoversAsync("api"), Is.Empty);
    }

    [Test]
    public async Task Killing_The_Connect_Command_Ends_The_Command_It_Runs_And_What_That_Started_And_Frees_The_Port()
    {
        var mark = new ProcessMark();
        var port = LocalHttpServer.FreePort();
        using var command = new ConnectCommandProcess(Space.Cluster.KubeconfigPath,
            ["connect", "api", "--local-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--space", Space.Namespace,
             "--", "sh", "-c", $"python3 -m http.server {port} --bind 127.0.0.1 & sleep 300"],
            new Dictionary<string, string> { [mark.Name] = mark.Value });
        await command.WaitForOutputAsync("connected in", TimeSpan.FromMinutes(3));
        // the CLI, its supervisor, the shell, the server holding the port and the sleep
        await Poll.UntilAsync(() => LoopbackPorts.Listens(port) && mark.Living().Count >= 5, TimeSpan.FromSeconds(30), () => $"the command listens on {port}: {string.Join("; ", mark.Living())}");

        await command.KillAndWaitUntilRestoredAsync(() => Space.IsRestoredAsync("api", 1), ConnectCommandProcess.RestoredAfterKill, "deployment api");

        Assert.That(mark.Living(), Is.Empty, "nothing the command started outlives the CLI");
        Assert.That(LoopbackPorts.IsFree(port), Is.True, $"port {port} is free for the next connect");
    }

    /// <summary>
    /// Rounds of the request stream tests: 1 in the test command (its time is short); bench/connect/stream runs 5 of
    /// each through <c>DEVSPACES_STREAM_ROUNDS</c>.
    /// </summary>
    private static int StreamRounds => int.TryParse(Environment.GetEnvironmentVariable("DEVSPACES_STREAM_ROUNDS"), out var n) && n > 0 ? n : 1;

    [Test]
    public async Task A_Stream_Of_20_Requests_Per_Second_Through_The_Front_End_Loses_None_Across_Connect_And_Disconnect()
    {
        await using var local = LocalHttpServer.AnsweringAsLocalProcess();
        await using var stream = await RequestStream.StartAsync(Space, "/api/greeting", perSecond: 20);
        for (var round = 1; round <= StreamRounds; round++)
        {
            stream.Phase = $"round {round}: connect";
            using var command = await ConnectedCommandAsync(local);
            stream.Phase = $"round {round}: disconnect";
            using (var signal = Process.Start("kill", ["-INT", command.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await signal.WaitForExitAsync();
            }

            Assert.That(await command.WaitForExitAsync(TimeSpan.FromSeconds(120)), Is.Zero, command.StandardError);
            stream.Phase = $"round {round}: after disconnect";
            await Space.WaitUntilCleanAsync("api", TimeSpan.FromSeconds(120));
        }

        var served = local.Requests;
        var failures = await stream.StopAsync();
        TestContext.Progress.WriteLine($"{StreamRounds} rounds of connect and disconnect: {stream.Sent} requests, {failures.Count} failed, {served} served locally");
        Assert.That(failures, Is.Empty, $"of {stream.Sent} requests these failed:\n{string.Join("\n", failures)}");
    }

    [Test]
    public async Task A_Stream_Of_20_Requests_Per_Second_Through_The_Front_End_Loses_None_Across_A_Killed_Command_And_The_Agents_Restore()
    {
        await using var local = LocalHttpServer.AnsweringAsLocalProcess();
        await using var stream = await RequestStream.StartAsync(Space, "/api/greeting", perSecond: 20);
        var kills = new List<TimeSpan>();
        for (var round = 1; round <= StreamRounds; round++)
        {
            stream.Phase = $"round {round}: connect";
            using var command = await ConnectedCommandAsync(local);

            // A request on its way through the killed process when it dies is lost with it (in real use the local
            // process dies with the CLI too); what must lose nothing is everything after: the agent's restore.
            stream.Phase = InFlightAtKill;
            kills.Add(stream.Now);
            command.Process.Kill();
            await command.Process.WaitForExitAsync();
            stream.Phase = $"round {round}: the agent's restore after kill -9";
            await ClusterWaits.ConditionAsync(() => Space.IsRestoredAsync("api", 1), ConnectCommandProcess.RestoredAfterKill, () => "the agent restored deployment api");
            await Space.WaitUntilCleanAsync("api", TimeSpan.FromSeconds(120));
        }

        var failures = await stream.StopAsync();
        var lost = failures.Where(f => f.Phase != InFlightAtKill && !kills.Any(f.Spans)).ToList();
        TestContext.Progress.WriteLine($"{StreamRounds} rounds of connect and kill -9: {stream.Sent} requests, {lost.Count} failed, {failures.Count - lost.Count} in flight through the killed process, {local.Requests} served locally");
        Assert.That(lost, Is.Empty, $"of {stream.Sent} requests these failed:\n{string.Join("\n", failures)}");
    }

    private const string InFlightAtKill = "in flight when the command was killed";

    /// <summary>
    /// Starts <c>devspaces connect api</c> onto <paramref name="local"/>; once it says it is connected, the original has no
    /// pod left and the stream's next requests are answered by the local process.
    /// </summary>
    private async Task<ConnectCommandProcess> ConnectedCommandAsync(LocalHttpServer local)
    {
        var command = new ConnectCommandProcess(Space.Cluster.KubeconfigPath, ["connect", "api", "--local-port", local.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--space", Space.Namespace]);
        await command.WaitForOutputAsync("press Ctrl-C", TimeSpan.FromMinutes(3));
        var served = local.Requests;
        TestContext.Progress.WriteLine(command.StandardError.Split('\n').FirstOrDefault(l => l.Contains("connected in", StringComparison.Ordinal)));
        Assert.That(await Space.RunningOriginalPodsAsync("api"), Is.Empty, "connected: no pod of the original runs to take a request");
        await ClusterWaits.ConditionAsync(() => Task.FromResult(local.Requests > served + 5), TimeSpan.FromSeconds(30), () => "the stream's requests reach the local process");
        return command;
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
