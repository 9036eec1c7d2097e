using DevSpaces.Core.Sync;
using DevSpaces.Helper.Protocol;

namespace DevSpaces.Tests.Sync;

public sealed class SyncPlannerTests
{
    private static readonly SyncRules AllButLogs = new(null, ["*.log"]);

    private static Dictionary<string, FileEntry> Tree(params (string Path, string Hash)[] files) =>
        files.ToDictionary(f => f.Path, f => new FileEntry(f.Path, f.Hash, 1, false));

    [Test]
    public void Only_Files_Whose_Content_Differs_Travel()
    {
        var plan = SyncPlanner.Plan(Tree(("same", "h1"), ("changed", "h2"), ("new", "h3")), Tree(("same", "h1"), ("changed", "old")), AllButLogs, new HashSet<string>());
        Assert.That(plan.Upserts.Select(u => u.Path), Is.EqualTo(new[] { "changed", "new" }));
        Assert.That(plan.Moves, Is.Empty);
        Assert.That(plan.Deletes, Is.Empty);
    }

    [Test]
    public void A_Changed_Executable_Bit_Travels()
    {
        var local = new Dictionary<string, FileEntry> { ["run.sh"] = new("run.sh", "h", 1, true) };
        var plan = SyncPlanner.Plan(local, Tree(("run.sh", "h")), AllButLogs, new HashSet<string>());
        Assert.That(plan.Upserts.Single().Executable, Is.True);
    }

    [Test]
    public void Container_Files_Missing_Locally_Are_Deleted_Only_When_The_Rules_Select_Them()
    {
        var plan = SyncPlanner.Plan(Tree(), Tree(("gone.txt", "h1"), ("app.log", "h2")), AllButLogs, new HashSet<string>());
        Assert.That(plan.Deletes, Is.EqualTo(new[] { "gone.txt" }));
    }

    [Test]
    public void A_Skipped_Local_File_Keeps_Its_Container_Copy()
    {
        var plan = SyncPlanner.Plan(Tree(), Tree(("big.bin", "h1")), AllButLogs, new HashSet<string> { "big.bin" });
        Assert.That(plan.IsEmpty, Is.True);
    }

    [Test]
    public void A_Renamed_File_Is_Moved_In_The_Container_Instead_Of_Sent_Again()
    {
        var plan = SyncPlanner.Plan(Tree(("b/new.txt", "h1"), ("other", "h2")), Tree(("a/old.txt", "h1")), AllButLogs, new HashSet<string>());
        Assert.That(plan.Moves, Is.EqualTo(new[] { new MoveFile("a/old.txt", "b/new.txt") }));
        Assert.That(plan.Upserts.Select(u => u.Path), Is.EqualTo(new[] { "other" }));
        Assert.That(plan.Deletes, Is.Empty);
    }
}
