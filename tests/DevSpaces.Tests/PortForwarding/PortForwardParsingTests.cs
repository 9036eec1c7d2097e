using DevSpaces.Contracts;
using DevSpaces.Core.Errors;
using DevSpaces.Core.PortForwarding;

namespace DevSpaces.Tests.PortForwarding;

public class PortForwardParsingTests
{
    [TestCase("api", PortForwardTargetKind.Pod, "dev", "api")]
    [TestCase("pod/api-0", PortForwardTargetKind.Pod, "dev", "api-0")]
    [TestCase("deploy/api", PortForwardTargetKind.Deployment, "dev", "api")]
    [TestCase("svc/api", PortForwardTargetKind.Service, "dev", "api")]
    [TestCase("other/service/api", PortForwardTargetKind.Service, "other", "api")]
    public void Targets_Parse_With_Kind_And_Namespace(string text, PortForwardTargetKind kind, string ns, string name)
    {
        Assert.That(PortForwardTarget.Parse(text, "dev"), Is.EqualTo(new PortForwardTarget(kind, ns, name)));
    }

    [TestCase("job/x")]
    [TestCase("a/b/c/d")]
    [TestCase("svc/")]
    public void A_Bad_Target_Says_What_Forms_Are_Accepted(string text)
    {
        var error = Assert.Throws<DevSpacesException>(() => PortForwardTarget.Parse(text, "dev"));
        Assert.Multiple(() =>
        {
            Assert.That(error!.ErrorCode, Is.EqualTo(RpcErrorCode.InvalidPortForward));
            Assert.That(error.Hint, Does.Contain("deployment/NAME"));
        });
    }

    [TestCase("8080:80", 8080, "80")]
    [TestCase("5000", 5000, "5000")]
    [TestCase(":http", 0, "http")]
    [TestCase("9000:metrics", 9000, "metrics")]
    public void Port_Mappings_Parse(string text, int local, string remote)
    {
        Assert.That(PortMapping.Parse(text), Is.EqualTo(new PortMapping(local, remote)));
    }

    [TestCase("70000:80")]
    [TestCase("80:0")]
    [TestCase("http")]
    [TestCase("80:")]
    [TestCase("x:80")]
    public void Bad_Port_Mappings_Are_Refused(string text)
    {
        Assert.Throws<DevSpacesException>(() => PortMapping.Parse(text));
    }
}
