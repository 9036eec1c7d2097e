using DevSpaces.Core.Project;
using DevSpaces.Core.Sync;
using DevSpaces.Helper.Protocol;

namespace DevSpaces.Tests.Sync;

public sealed class UpdateDecisionTests
{
    private static readonly GlobUpdateRules Rules = new(
    [
        new UpdateRule(new GlobList(["Dockerfile", "package.json"]), UpdateAction.Rebuild),
        new UpdateRule(new GlobList(["public/**", "!public/config.js"]), UpdateAction.Copy),
        new UpdateRule(new GlobList(["**/*.ts"]), UpdateAction.Build),
    ]);

    private static SyncPlan Plan(string[] upserts, string[]? deletes = null) =>
        new(upserts.Select(p => new FileEntry(p, "h", 1, false)).ToList(), [], deletes ?? []);

    [TestCase("public/index.html", UpdateAction.Copy)]
    [TestCase("public/config.js", UpdateAction.Restart)]
    [TestCase("src/app.ts", UpdateAction.Build)]
    [TestCase("Dockerfile", UpdateAction.Rebuild)]
    [TestCase("server.js", UpdateAction.Restart)]
    public void The_First_Matching_Rule_Decides_And_Unmatched_Paths_Restart(string path, UpdateAction action)
    {
        Assert.That(Rules.ActionFor(path), Is.EqualTo(action));
    }

    [Test]
    public void A_Batch_Takes_Its_Strongest_Action_And_Names_The_Path_That_Asked_For_It()
    {
        var decision = UpdateDecision.For(Plan(["public/a.css", "src/x.ts", "public/b.css"]), Rules);
        Assert.That(decision, Is.EqualTo(new UpdateDecision(UpdateAction.Build, "src/x.ts")));
    }

    [Test]
    public void A_Deleted_Path_Counts_Like_A_Changed_One()
    {
        Assert.That(UpdateDecision.For(Plan(["public/a.css"], ["package.json"]), Rules).Action, Is.EqualTo(UpdateAction.Rebuild));
    }

    [Test]
    public void Static_Files_Alone_Only_Copy()
    {
        Assert.That(UpdateDecision.For(Plan(["public/a.css", "public/b.png"]), Rules).Action, Is.EqualTo(UpdateAction.Copy));
    }
}
