using DevSpaces.Core.Images;

namespace DevSpaces.Tests.Images;

public class DockerIgnoreTests
{
    private static DockerIgnore Rules(params string[] lines) => new(lines);

    [TestCase("bin", "bin", true)]
    [TestCase("bin", "bin/Debug/app.dll", true)]
    [TestCase("bin", "src/bin/app.dll", false)]
    [TestCase("*.md", "README.md", true)]
    [TestCase("*.md", "docs/guide.md", false)]
    [TestCase("**/*.md", "docs/deep/guide.md", true)]
    [TestCase("**/*.md", "README.md", true)]
    [TestCase("**/obj", "src/App/obj/project.assets.json", true)]
    [TestCase("**/obj", "obj", true)]
    [TestCase("src/**/test", "src/test", true)]
    [TestCase("src/**/test", "src/a/b/test/x.cs", true)]
    [TestCase("src/**/test", "test", false)]
    [TestCase("*/temp*", "somedir/temporary.txt", true)]
    [TestCase("*/temp*", "somedir/deeper/temporary.txt", false)]
    [TestCase("temp?", "temp1", true)]
    [TestCase("temp?", "temp12", false)]
    [TestCase("temp?", "temp/", false)]
    [TestCase("/node_modules/", "node_modules/left-pad/index.js", true)]
    [TestCase("./build/../dist", "dist/app.js", true)]
    [TestCase("file[0-9].txt", "file7.txt", true)]
    [TestCase("file[0-9].txt", "filex.txt", false)]
    [TestCase("file[^0-9].txt", "filex.txt", true)]
    [TestCase("file[^0-9].txt", "file/.txt", false)]
    [TestCase(@"weird\*name", "weird*name", true)]
    [TestCase(@"weird\*name", "weirdXname", false)]
    [TestCase("a.b", "axb", false)]
    [TestCase("**", "anything/at/all", true)]
    public void A_Single_Pattern_Matches_As_Docker_Does(string pattern, string path, bool excluded)
    {
        Assert.That(Rules(pattern).IsExcluded(path), Is.EqualTo(excluded), $"pattern '{pattern}' on '{path}'");
    }

    [Test]
    public void An_Exception_Re_Includes_A_File_Inside_An_Excluded_Folder()
    {
        var rules = Rules("docs", "!docs/keep.md");
        Assert.Multiple(() =>
        {
            Assert.That(rules.IsExcluded("docs/other.md"), Is.True);
            Assert.That(rules.IsExcluded("docs/keep.md"), Is.False);
            Assert.That(rules.HasExceptions, Is.True);
        });
    }

    [Test]
    public void The_Last_Matching_Line_Wins()
    {
        var rules = Rules("*.log", "!important.log", "important.log");
        Assert.That(rules.IsExcluded("important.log"), Is.True);
    }

    [Test]
    public void Exclude_Everything_But_A_Folder_Keeps_Only_That_Folder()
    {
        var rules = Rules("*", "!src", "src/**/*.tmp");
        Assert.Multiple(() =>
        {
            Assert.That(rules.IsExcluded("README.md"), Is.True);
            Assert.That(rules.IsExcluded("src/Program.cs"), Is.False);
            Assert.That(rules.IsExcluded("src/deep/cache.tmp"), Is.True);
        });
    }

    [Test]
    public void Comments_And_Blank_Lines_Are_Ignored()
    {
        var rules = Rules("# bin", "", "   ", "obj  ");
        Assert.Multiple(() =>
        {
            Assert.That(rules.IsExcluded("bin"), Is.False);
            Assert.That(rules.IsExcluded("obj/x"), Is.True);
        });
    }
}
