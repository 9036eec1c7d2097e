using DevSpaces.Core.Project;
using DevSpaces.Core.Sync;
using DevSpaces.Helper.Protocol;
using DevSpaces.Tests.Support;

namespace DevSpaces.Tests.Sync;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SyncSessionTests
{
    private static readonly SyncTimings Fast = new(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(500));
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private sealed class Running(SyncSession session, Signal<SyncRound> rounds, FolderScanner scanner) : IAsyncDisposable
    {
        public Signal<SyncRound> Rounds => rounds;

        public FolderScanner Scanner => scanner;

        /// <summary>Waits until a round after the <paramref name="from"/>th leaves the container's tree hash equal to <paramref name="expected"/>.</summary>
        public Task<SyncRound> SyncedAsync(string expected, string because, int from = 1) =>
            rounds.WaitForAsync(r => r.Result?.TreeHash == expected, Wait, because, from);

        public ValueTask DisposeAsync() => session.DisposeAsync();
    }

    private static async Task<Running> StartAsync(string local, ISyncTarget target, IUpdateRules? updates = null)
    {
        var rounds = new Signal<SyncRound>();
        var scanner = new FolderScanner(local, SyncRules.ForFolder(local));
        var session = new SyncSession(scanner, target, updates ?? new GlobUpdateRules([]), Fast, (round, _) =>
        {
            rounds.Add(round);
            return Task.CompletedTask;
        });
        await session.StartAsync(SyncTrees.Timeout);
        return new Running(session, rounds, scanner);
    }

    [Test]
    public async Task Saved_Renamed_And_Deleted_Files_Are_Mirrored_In_The_Container()
    {
        await using var helper = new InProcessHelper();
        using var local = new TempDirectory();
        local.File("keep.txt", "k");
        await using var sync = await StartAsync(local.Path, await helper.ConnectAsync());
        Assert.That(File.ReadAllText(Path.Combine(helper.Container.Path, "keep.txt")), Is.EqualTo("k"), "the first round");

        Directory.CreateDirectory(Path.Combine(local.Path, "src"));
        local.File("src/app.js", "v1");
        var saved = await sync.SyncedAsync(SyncTrees.HashOf(local.Path), "the saved file");
        Assert.That(saved.Plan.Upserts.Select(u => u.Path), Does.Contain("src/app.js"));
        Assert.That(File.ReadAllText(Path.Combine(helper.Container.Path, "src/app.js")), Is.EqualTo("v1"));

        File.Move(Path.Combine(local.Path, "src/app.js"), Path.Combine(local.Path, "main.js"));
        var renamed = await sync.SyncedAsync(SyncTrees.HashOf(local.Path), "the rename");
        Assert.That(renamed.Plan.Moves, Is.EqualTo(new[] { new MoveFile("src/app.js", "main.js") }), "moved, not sent again");

        var rounds = sync.Rounds.Count;
        File.Delete(Path.Combine(local.Path, "main.js"));
        await sync.SyncedAsync(SyncTrees.HashOf(local.Path), "the deletion", rounds);
        Assert.That(File.Exists(Path.Combine(helper.Container.Path, "main.js")), Is.False);
    }

    [Test]
    public async Task A_Burst_Coalesces_Into_Few_Batches_And_The_Last_Write_Wins()
    {
        await using var helper = new InProcessHelper();
        using var local = new TempDirectory();
        await using var sync = await StartAsync(local.Path, await helper.ConnectAsync());
        var before = sync.Rounds.Count;

        var paths = SyncTrees.Write(local.Path, 300, salt: "branch ");
        for (var i = 0; i < 50; i++)
        {
            local.File("hot.txt", $"write {i}");
        }

        await sync.SyncedAsync(SyncTrees.HashOf(local.Path), "the burst");
        Assert.That(File.ReadAllText(Path.Combine(helper.Container.Path, "hot.txt")), Is.EqualTo("write 49"));
        Assert.That(sync.Rounds.Count - before, Is.LessThan(10), "350 files and 50 writes of one file in a few batches");
        Assert.That(paths.All(p => File.Exists(Path.Combine(helper.Container.Path, p))), Is.True);
    }

    [Test]
    public async Task Ignored_Files_Stay_Local_And_A_Too_Large_File_Is_Reported_Once()
    {
        await using var helper = new InProcessHelper();
        using var local = new TempDirectory();
        local.File(".gitignore", "*.log\n");
        local.File("app.log", "noise");
        await using var sync = await StartAsync(local.Path, await helper.ConnectAsync());

        Assert.That(File.Exists(Path.Combine(helper.Container.Path, "app.log")), Is.False);
        Assert.That(File.Exists(Path.Combine(helper.Container.Path, ".gitignore")), Is.True);
        var rounds = sync.Rounds.Count;
        local.File("app.log", "more noise");
        local.File("data.txt", "d");
        await sync.Rounds.WaitForAsync(r => r.Plan.Upserts.Any(u => u.Path == "data.txt"), Wait, "the next file", from: rounds);
        Assert.That(sync.Rounds.Snapshot().SelectMany(r => r.Plan.ChangedPaths), Has.None.EqualTo("app.log"));
    }

    [Test]
    public async Task A_New_Session_Sends_Only_What_The_Container_Lacks()
    {
        await using var helper = new InProcessHelper();
        using var local = new TempDirectory();
        SyncTrees.Write(local.Path, 100);
        await using (await StartAsync(local.Path, await helper.ConnectAsync()))
        {
        }

        local.File("d0/e0/f0.txt", "changed while no session ran");
        File.Delete(Path.Combine(local.Path, "d1/e1/f1.txt"));
        await using var second = await StartAsync(local.Path, await helper.ConnectAsync());
        var first = second.Rounds.Snapshot()[0];

        Assert.That(first.Plan.Upserts.Select(u => u.Path), Is.EqualTo(new[] { "d0/e0/f0.txt" }));
        Assert.That(first.Plan.Deletes, Is.EqualTo(new[] { "d1/e1/f1.txt" }));
        Assert.That(first.Result!.TreeHash, Is.EqualTo(SyncTrees.HashOf(local.Path)));
    }

    [Test]
    public async Task Each_Round_Carries_The_Update_Decision_Of_Its_Paths()
    {
        await using var helper = new InProcessHelper();
        using var local = new TempDirectory();
        var rules = new GlobUpdateRules([new UpdateRule(new GlobList(["public/**"]), UpdateAction.Copy), new UpdateRule(new GlobList(["Dockerfile"]), UpdateAction.Rebuild)]);
        await using var sync = await StartAsync(local.Path, await helper.ConnectAsync(), rules);
        Directory.CreateDirectory(Path.Combine(local.Path, "public"));

        local.File("public/index.html", "<p>hi</p>");
        var copy = await sync.SyncedAsync(SyncTrees.HashOf(local.Path), "the static file");
        Assert.That(copy.Decision.Action, Is.EqualTo(UpdateAction.Copy));

        local.File("Dockerfile", "FROM scratch");
        var rebuild = await sync.SyncedAsync(SyncTrees.HashOf(local.Path), "the Dockerfile");
        Assert.That(rebuild.Decision, Is.EqualTo(new UpdateDecision(UpdateAction.Rebuild, "Dockerfile")));
    }
}
