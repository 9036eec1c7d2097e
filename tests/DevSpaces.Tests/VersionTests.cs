using DevSpaces.Cli;

namespace DevSpaces.Tests;

public class VersionTests
{
    [Test]
    public void Version_Is_A_Semantic_Version()
    {
        Assert.That(Program.ProductVersion, Does.Match(@"^\d+\.\d+\.\d+"));
    }
}
