using DevSpaces.Core.Previews;
using DevSpaces.Core.Spaces;

namespace DevSpaces.Tests.Previews;

public class PreviewNameTests
{
    [TestCase("pr-12")]
    [TestCase("main")]
    [TestCase("a")]
    public void A_Name_That_Is_Already_A_Dns_Label_Is_Kept(string name) =>
        Assert.That(PreviewName.From(name), Is.EqualTo(name));

    [TestCase("feature/Login", "feature-login-")]
    [TestCase("Fix_Bug#42", "fix-bug-42-")]
    [TestCase("-leading/trailing-", "leading-trailing-")]
    [TestCase("users/alice/ünïcode", "users-alice-n-code-")]
    public void A_Branch_Name_Is_Lowercased_Its_Other_Characters_Replaced_And_A_Hash_Added(string branch, string stem)
    {
        var name = PreviewName.From(branch);
        Assert.That(name, Does.Match($"^{stem}[0-9a-f]{{8}}$"));
        Assert.That(SpaceName.Problem(name), Is.Null);
    }

    [Test]
    public void Branches_That_Differ_Only_In_Replaced_Characters_Get_Different_Names()
    {
        var names = new[] { "feature/a", "feature_a", "Feature/A", "feature.a" }.Select(PreviewName.From).ToList();
        Assert.That(names.Distinct().Count(), Is.EqualTo(4), string.Join(", ", names));
        Assert.That(names, Has.None.EqualTo("feature-a"), "a branch literally named feature-a keeps that name to itself");
    }

    [Test]
    public void The_Same_Branch_Always_Gets_The_Same_Name() =>
        Assert.That(PreviewName.From("feature/Login"), Is.EqualTo(PreviewName.From("feature/Login")));

    [Test]
    public void A_Long_Branch_Name_Is_Shortened_To_63_Characters_With_Its_Hash()
    {
        var first = PreviewName.From("dependabot/npm_and_yarn/" + new string('x', 80) + "-1");
        var second = PreviewName.From("dependabot/npm_and_yarn/" + new string('x', 80) + "-2");
        Assert.Multiple(() =>
        {
            Assert.That(first.Length, Is.LessThanOrEqualTo(SpaceName.MaxLength));
            Assert.That(SpaceName.Problem(first), Is.Null);
            Assert.That(first, Does.StartWith("dependabot-npm-and-yarn-xxx"));
            Assert.That(second, Is.Not.EqualTo(first), "names equal up to the cut still differ by their hash");
        });
    }

    [Test]
    public void A_Valid_Label_Longer_Than_63_Characters_Is_Shortened_Too()
    {
        var name = PreviewName.From(new string('a', 70));
        Assert.That(name.Length, Is.EqualTo(SpaceName.MaxLength));
        Assert.That(SpaceName.Problem(name), Is.Null);
    }

    [TestCase("///")]
    [TestCase("")]
    public void A_Name_Without_Letters_Or_Digits_Becomes_A_Hashed_Preview_Name(string branch) =>
        Assert.That(PreviewName.From(branch), Does.Match("^preview-[0-9a-f]{8}$"));
}
