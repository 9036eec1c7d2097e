using DevSpaces.Contracts;
using DevSpaces.Core.Errors;
using DevSpaces.Core.Spaces;

namespace DevSpaces.Tests.Spaces;

public class SpaceNameTests
{
    [TestCase("a")]
    [TestCase("dev")]
    [TestCase("alice-feature-1")]
    [TestCase("0abc")]
    public void Dns1123_Labels_Are_Accepted(string name) => Assert.That(SpaceName.Problem(name), Is.Null);

    [TestCase("", "empty")]
    [TestCase("Dev", "uppercase letter 'D'")]
    [TestCase("my_space", "'_' at position 3")]
    [TestCase("a.b", "'.' at position 2")]
    [TestCase("-dev", "starts or ends with '-'")]
    [TestCase("dev-", "starts or ends with '-'")]
    public void Invalid_Names_Say_What_Is_Wrong(string name, string expected) =>
        Assert.That(SpaceName.Problem(name), Does.Contain(expected));

    [Test]
    public void A_64_Character_Name_Is_Too_Long()
    {
        Assert.That(SpaceName.Problem(new string('a', 63)), Is.Null);
        Assert.That(SpaceName.Problem(new string('a', 64)), Does.Contain("64 characters, more than 63"));
    }

    [Test]
    public void Validate_Throws_InvalidName_With_A_Hint()
    {
        var error = Assert.Throws<DevSpacesException>(() => SpaceName.Validate("Bad Name"))!;
        Assert.Multiple(() =>
        {
            Assert.That(error.ErrorCode, Is.EqualTo(RpcErrorCode.InvalidName));
            Assert.That(error.Message, Does.Contain("'Bad Name'"));
            Assert.That(error.Hint, Does.Contain("DNS-1123"));
        });
    }
}
