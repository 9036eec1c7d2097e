using DevSpaces.Core.Project;
using DevSpaces.Core.Sync;
using DevSpaces.Tests.Support;

namespace DevSpaces.Tests.Sync;

public sealed class SyncRulesTests
{
    [TestCase("src/app.js", true)]
    [TestCase("src/generated/x.js", false)]
    [TestCase("src/generated/keep.js", true)]
    [TestCase("README.md", false)]
    public void Globs_Select_In_Order_And_A_Leading_Bang_Takes_Back(string path, bool selected)
    {
        var rules = new SyncRules(new GlobList(["src/**", "!src/generated", "src/generated/keep.js"]), []);
        Assert.That(rules.Selects(path), Is.EqualTo(selected));
    }

    [Test]
    public void Without_Globs_Every_File_Is_Selected_But_Git_And_DevSpaces_Folders()
    {
        var rules = new SyncRules(null, []);
        Assert.That(rules.Selects("a/b/c.txt"), Is.True);
        Assert.That(rules.Selects(".git/HEAD"), Is.False);
        Assert.That(rules.Selects(".devspaces/state.json"), Is.False);
    }

    [TestCase("node_modules/left-pad/index.js", false)]
    [TestCase("web/node_modules/x.js", false)]
    [TestCase("build/out.js", false)]
    [TestCase("src/build/out.js", true)]
    [TestCase("debug.log", false)]
    [TestCase("logs/keep.log", true)]
    [TestCase("bin/Debug/app.dll", false)]
    [TestCase("src/app.js", true)]
    public void Gitignore_And_Dockerignore_Of_The_Folder_Are_Honoured(string path, bool selected)
    {
        using var folder = new TempDirectory();
        folder.File(".gitignore", "# deps\nnode_modules/\n/build\n*.log\n!logs/keep.log\n");
        folder.File(".dockerignore", "bin\n");
        Assert.That(SyncRules.ForFolder(folder.Path).Selects(path), Is.EqualTo(selected));
    }

    [Test]
    public void A_Projects_Sync_Section_Gives_Its_Globs_And_Ignore_Files()
    {
        using var folder = new TempDirectory();
        folder.File(".gitignore", "*.log\n");
        folder.File("extra.ignore", "secret.txt\n");
        var rules = SyncRules.ForProject(folder.Path, new ProjectSync("/app", new GlobList(["**", "!docs"]), ["extra.ignore"]));
        Assert.That(rules.Selects("debug.log"), Is.True, ".gitignore is not among the project's ignore files");
        Assert.That(rules.Selects("secret.txt"), Is.False);
        Assert.That(rules.Selects("docs/guide.md"), Is.False);
        Assert.That(rules.Selects("src/app.js"), Is.True);
    }

    [Test]
    public void An_Empty_Ignore_File_List_Honours_None()
    {
        using var folder = new TempDirectory();
        folder.File(".gitignore", "*.log\n");
        Assert.That(SyncRules.ForFolder(folder.Path, ignoreFiles: []).Selects("debug.log"), Is.True);
    }

    [Test]
    public void An_Ignored_Folder_Is_Not_Entered_Unless_A_Pattern_Takes_Something_Back()
    {
        Assert.That(new SyncRules(null, ["**/node_modules"]).MayHoldSelected("web/node_modules"), Is.False);
        Assert.That(new SyncRules(null, ["**/node_modules", "!**/node_modules/keep"]).MayHoldSelected("web/node_modules"), Is.True);
    }
}
