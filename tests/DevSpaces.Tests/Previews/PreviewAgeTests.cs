using DevSpaces.Core.Previews;

namespace DevSpaces.Tests.Previews;

public class PreviewAgeTests
{
    [TestCase("7d", 7 * 24 * 3600)]
    [TestCase("12h", 12 * 3600)]
    [TestCase("30m", 30 * 60)]
    [TestCase("45s", 45)]
    public void An_Age_Is_A_Number_And_A_Unit(string text, int seconds) =>
        Assert.That(PreviewAge.Parse(text), Is.EqualTo(TimeSpan.FromSeconds(seconds)));

    [TestCase("7")]
    [TestCase("d")]
    [TestCase("0d")]
    [TestCase("-1d")]
    [TestCase("7w")]
    [TestCase("1.5d")]
    [TestCase(" 7d")]
    public void Anything_Else_Is_Not_An_Age(string text) =>
        Assert.That(PreviewAge.Parse(text), Is.Null);

    [Test]
    public void An_Age_Is_Shown_In_Its_Largest_Whole_Unit() =>
        Assert.That(
            new[] { TimeSpan.FromDays(3.9), TimeSpan.FromHours(5.5), TimeSpan.FromMinutes(12), TimeSpan.FromSeconds(40) }.Select(PreviewAge.Format),
            Is.EqualTo(new[] { "3d", "5h", "12m", "40s" }));
}
