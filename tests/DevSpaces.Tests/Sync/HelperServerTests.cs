using DevSpaces.Core.Sync;
using DevSpaces.Helper.Protocol;
using DevSpaces.Tests.Support;

namespace DevSpaces.Tests.Sync;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class HelperServerTests
{
    private static SyncPlan PlanFor(FolderScanner scanner, IReadOnlyList<FileEntry> remote) =>
        SyncPlanner.Plan(scanner.Files, remote.ToDictionary(f => f.Path), scanner.Rules, scanner.SkippedPaths);

    [Test]
    public async Task Five_Hundred_Changed_Files_Arrive_And_Both_Tree_Hashes_Are_Equal()
    {
        await using var helper = new InProcessHelper();
        using var local = new TempDirectory();
        SyncTrees.Write(local.Path, 500);
        var scanner = new FolderScanner(local.Path, new SyncRules(null, []));
        scanner.ScanAll();
        var client = await helper.ConnectAsync();

        var first = await client.ApplyAsync(PlanFor(scanner, await client.ListFilesAsync(SyncTrees.Timeout)), local.Path, SyncTrees.Timeout);
        Assert.That(first.Result.Problems, Is.Empty);
        Assert.That(first.Result.Applied, Is.EqualTo(500));
        Assert.That(first.Result.TreeHash, Is.EqualTo(TreeHash.Compute(scanner.Files.Values)));

        // A branch switch: every file changes at once.
        SyncTrees.Write(local.Path, 500, salt: "other branch ");
        scanner.ScanAll();
        var plan = PlanFor(scanner, await client.ListFilesAsync(SyncTrees.Timeout));
        Assert.That(plan.Upserts, Has.Count.EqualTo(500));
        var second = await client.ApplyAsync(plan, local.Path, SyncTrees.Timeout);
        Assert.That(second.Result.FileCount, Is.EqualTo(500));
        Assert.That(second.Result.TreeHash, Is.EqualTo(TreeHash.Compute(scanner.Files.Values)));
        Assert.That(SyncTrees.HashOf(helper.Container.Path), Is.EqualTo(second.Result.TreeHash), "the container's folder hashed from scratch");
        Assert.That(Directory.EnumerateFiles(helper.Container.Path, HelperProtocol.PartialPrefix + "*", SearchOption.AllDirectories), Is.Empty, "no partial file is left beside the files");
    }

    [Test]
    public async Task The_Listing_Spans_Several_Frames_And_Holds_Every_File()
    {
        await using var helper = new InProcessHelper();
        SyncTrees.Write(helper.Container.Path, HelperProtocol.ManifestEntriesPerFrame + 300);
        var client = await helper.ConnectAsync();
        var files = await client.ListFilesAsync(SyncTrees.Timeout);
        Assert.That(files, Has.Count.EqualTo(HelperProtocol.ManifestEntriesPerFrame + 300));
        Assert.That(TreeHash.Compute(files), Is.EqualTo(SyncTrees.HashOf(helper.Container.Path)));
    }

    [Test]
    public async Task Moves_And_Deletes_Are_Applied_And_Folders_They_Empty_Go()
    {
        await using var helper = new InProcessHelper();
        Directory.CreateDirectory(Path.Combine(helper.Container.Path, "a/deep"));
        File.WriteAllText(Path.Combine(helper.Container.Path, "a/deep/old.txt"), "moved content");
        File.WriteAllText(Path.Combine(helper.Container.Path, "gone.txt"), "x");
        var client = await helper.ConnectAsync();
        using var local = new TempDirectory();

        var applied = await client.ApplyAsync(new SyncPlan([], [new MoveFile("a/deep/old.txt", "b/new.txt")], ["gone.txt"]), local.Path, SyncTrees.Timeout);

        Assert.That(applied.Result.Problems, Is.Empty);
        Assert.That(File.ReadAllText(Path.Combine(helper.Container.Path, "b/new.txt")), Is.EqualTo("moved content"));
        Assert.That(File.Exists(Path.Combine(helper.Container.Path, "gone.txt")), Is.False);
        Assert.That(Directory.Exists(Path.Combine(helper.Container.Path, "a")), Is.False);
        Assert.That(applied.Result.FileCount, Is.EqualTo(1));
    }

    [Test]
    public async Task Paths_Leaving_The_Synced_Folder_Are_Refused_By_The_Helper_Too()
    {
        await using var helper = new InProcessHelper();
        using var outside = new TempDirectory();
        var victim = outside.File("victim.txt", "keep me");
        File.CreateSymbolicLink(Path.Combine(helper.Container.Path, "link"), outside.Path);
        using var local = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(local.Path, "root"));
        local.File("escape.txt", "evil");
        Directory.CreateDirectory(Path.Combine(local.Path, "root/link"));
        local.File("root/link/victim.txt", "evil");
        var client = await helper.ConnectAsync();
        var plan = new SyncPlan(
            [new FileEntry("../escape.txt", "h", 4, false), new FileEntry("link/victim.txt", "h", 4, false)],
            [],
            ["../" + Path.GetFileName(outside.Path) + "/victim.txt", "link/victim.txt"]);

        var applied = await client.ApplyAsync(plan, Path.Combine(local.Path, "root"), SyncTrees.Timeout);

        Assert.That(applied.Result.Applied, Is.Zero);
        Assert.That(applied.Result.Problems, Has.Count.EqualTo(4));
        Assert.That(applied.Result.Problems.Where(p => p.Path == "link/victim.txt").Select(p => p.Message), Is.EqualTo(new[] { "link is a symbolic link in the container; the helper writes nothing through links", "link is a symbolic link in the container; the helper writes nothing through links" }));
        Assert.That(File.ReadAllText(victim), Is.EqualTo("keep me"));
        Assert.That(File.Exists(Path.Combine(Path.GetDirectoryName(helper.Container.Path)!, "escape.txt")), Is.False);
    }

    [Test]
    public async Task A_File_The_Helper_Cannot_Write_Is_Reported_Per_File_And_The_Connection_Serves_On()
    {
        await using var helper = new InProcessHelper();
        // A file where the received file's folder goes: it cannot be written, also when tests run as root.
        helper.Container.File("lib", "in the way");
        using var local = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(local.Path, "lib"));
        local.File("lib/App.dll", "new code");
        local.File("App.json", "{}");
        var client = await helper.ConnectAsync();

        var applied = await client.ApplyAsync(new SyncPlan([new FileEntry("lib/App.dll", "h", 8, false), new FileEntry("App.json", "h", 2, false)], [], []), local.Path, SyncTrees.Timeout);

        Assert.That(applied.Result.Problems.Single().Path, Is.EqualTo("lib/App.dll"));
        Assert.That(applied.Result.Problems.Single().Message, Does.StartWith("cannot be written: "));
        Assert.That(applied.Result.Applied, Is.EqualTo(1), "the next file of the batch is applied");
        Assert.That((await client.ListFilesAsync(SyncTrees.Timeout)).Select(f => f.Path), Is.EquivalentTo(new[] { "lib", "App.json" }), "the same connection still answers");
    }

    [Test]
    public async Task A_Partial_File_Is_Not_Part_Of_The_Tree_And_Its_Name_Is_Not_Synced()
    {
        await using var helper = new InProcessHelper();
        Directory.CreateDirectory(Path.Combine(helper.Container.Path, "a"));
        helper.Container.File("a/real.txt", "kept");
        helper.Container.File($"a/{HelperProtocol.PartialPrefix}7", "half a file a stopped helper left");
        using var local = new TempDirectory();
        var client = await helper.ConnectAsync();

        Assert.That((await client.ListFilesAsync(SyncTrees.Timeout)).Select(f => f.Path), Is.EqualTo(new[] { "a/real.txt" }));
        var applied = await client.ApplyAsync(new SyncPlan([], [], [$"a/{HelperProtocol.PartialPrefix}7"]), local.Path, SyncTrees.Timeout);
        Assert.That(applied.Result.Problems.Single().Message, Does.Contain("the helper's own"));
    }

    [Test]
    public void A_Client_Without_The_Session_Key_Is_Refused()
    {
        var error = Assert.ThrowsAsync<HelperException>(async () =>
        {
            await using var helper = new InProcessHelper();
            await helper.ConnectAsync(DevSpaces.Tunnel.TunnelHandshake.NewKey());
        });
        Assert.That(error!.Message, Does.Contain("rejected the session key"));
    }

    [Test]
    public async Task A_Restart_Stops_The_App_And_Starts_It_Again_With_A_New_Pid()
    {
        await using var helper = new InProcessHelper(["sleep", "60"]);
        var started = helper.App.Start();
        var client = await helper.ConnectAsync();
        Assert.That(client.Welcome.AppPid, Is.EqualTo(started.Pid));

        var restarted = await client.RestartAsync(TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(200), SyncTrees.Timeout);

        Assert.That(restarted.State, Is.EqualTo(AppState.Running));
        Assert.That(restarted.Pid, Is.Not.EqualTo(started.Pid).And.GreaterThan(0));
        Assert.That(Directory.Exists($"/proc/{started.Pid}"), Is.False, "the old process is gone and reaped");
        Assert.That((await client.GetStatusAsync(SyncTrees.Timeout)).Pid, Is.EqualTo(restarted.Pid));
    }

    [Test]
    public async Task An_App_Ignoring_SIGTERM_Is_Killed_After_The_Grace_Period()
    {
        using var scratch = new TempDirectory();
        var ready = Path.Combine(scratch.Path, "ready");
        await using var helper = new InProcessHelper(["sh", "-c", $"trap '' TERM; touch {ready}; while :; do sleep 0.05; done"]);
        var started = helper.App.Start();
        await WaitUntilAsync(() => File.Exists(ready), "the app to ignore SIGTERM");
        var client = await helper.ConnectAsync();
        var restarted = await client.RestartAsync(TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(100), SyncTrees.Timeout);
        Assert.That(restarted.Pid, Is.Not.EqualTo(started.Pid));
        await helper.Log.WaitForAsync(l => l.Contains($"pid {started.Pid} did not stop"), TimeSpan.FromSeconds(10), "the SIGKILL after the grace period");
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!condition())
        {
            Assert.That(timeout.IsCancellationRequested, Is.False, $"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }

    [Test]
    public async Task An_App_That_Cannot_Be_Started_Is_Reported()
    {
        await using var helper = new InProcessHelper(["/nonexistent/app"]);
        var client = await helper.ConnectAsync();
        var status = await client.RestartAsync(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), SyncTrees.Timeout);
        Assert.That(status.State, Is.EqualTo(AppState.FailedToStart));
        Assert.That(status.Message, Does.Contain("could not start /nonexistent/app").And.Contain("No such file"));
    }

    [Test]
    public async Task An_App_That_Exits_At_Start_Is_Reported_With_Its_Exit_Code()
    {
        await using var helper = new InProcessHelper(["sh", "-c", "exit 7"]);
        var client = await helper.ConnectAsync();
        var status = await client.RestartAsync(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(20), SyncTrees.Timeout);
        Assert.That(status.State, Is.EqualTo(AppState.Exited));
        Assert.That(status.ExitCode, Is.EqualTo(7));
    }
    [Test]
    public async Task A_Restart_With_A_Ready_Port_Answers_Once_The_New_Process_Listens_There()
    {
        var port = LoopbackPorts.Free();
        await using var helper = new InProcessHelper(["python3", "-c", $"import socket,time; time.sleep(0.4); s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('127.0.0.1', {port})); s.listen(); time.sleep(60)"]);
        var client = await helper.ConnectAsync();

        var restarted = await client.RestartAsync(TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(10), port, TimeSpan.FromSeconds(20), SyncTrees.Timeout);

        Assert.That(restarted.State, Is.EqualTo(AppState.Running));
        Assert.That(restarted.Listening, Is.True);
        using var probe = new System.Net.Sockets.TcpClient();
        Assert.DoesNotThrowAsync(async () => await probe.ConnectAsync(System.Net.IPAddress.Loopback, port), "the answer came after the app listened, not after the settle time");
        Assert.That(helper.Log.Snapshot(), Has.Some.Contains($"listens on port {port} after"));
    }

    [Test]
    public async Task A_Restart_Whose_App_Never_Listens_Answers_After_The_Ready_Timeout_As_Running_But_Not_Listening()
    {
        await using var helper = new InProcessHelper(["sleep", "60"]);
        var client = await helper.ConnectAsync();

        var restarted = await client.RestartAsync(TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(10), LoopbackPorts.Free(), TimeSpan.FromMilliseconds(300), SyncTrees.Timeout);

        Assert.That(restarted.State, Is.EqualTo(AppState.Running));
        Assert.That(restarted.Listening, Is.False);
        Assert.That(helper.Log.Snapshot(), Has.Some.Contains("nothing listens on port"));
    }

    [Test]
    public async Task A_Restart_With_A_Ready_Port_Reports_An_App_That_Exits_Before_Listening()
    {
        await using var helper = new InProcessHelper(["sh", "-c", "sleep 0.2; exit 4"]);
        var client = await helper.ConnectAsync();

        var restarted = await client.RestartAsync(TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(10), LoopbackPorts.Free(), TimeSpan.FromSeconds(20), SyncTrees.Timeout);

        Assert.That(restarted.State, Is.EqualTo(AppState.Exited));
        Assert.That(restarted.ExitCode, Is.EqualTo(4));
    }
}
