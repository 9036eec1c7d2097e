using DevSpaces.Cli.Commands;
using DevSpaces.Core.Connect;
using DevSpaces.Tunnel.Takeover;
using k8s.Models;

namespace DevSpaces.Tests.Connect;

public sealed class ConnectEnvironmentTests
{
    private static readonly OutboundEndpoint[] Endpoints =
    [
        new("quotes", "dev", "http", 80, "10.0.0.7", 41001),
        new("db", "dev", null, 5432, "10.0.0.8", 41002),
        new("auth", "team", "http", 80, "10.0.0.9", 41003),
    ];

    private static TakeoverPlan Plan() => new(
        "dev",
        new V1Service { Metadata = new V1ObjectMeta { Name = "api" }, Spec = new V1ServiceSpec { Selector = new Dictionary<string, string> { ["app"] = "api" } } },
        new Workload(TakeoverNames.DeploymentKind, new V1ObjectMeta { Name = "api" }, 1, new V1PodTemplateSpec { Spec = new V1PodSpec() }),
        new V1Container { Name = "api" },
        [new TakeoverPort("http", 80, 8080, "http")]);

    [TestCase("http://quotes", "http://127.0.0.1:41001")]
    [TestCase("http://quotes/quote?x=1", "http://127.0.0.1:41001/quote?x=1")]
    [TestCase("http://quotes:80", "http://127.0.0.1:41001")]
    [TestCase("http://quotes.dev.svc.cluster.local/a", "http://127.0.0.1:41001/a")]
    [TestCase("postgres://db:5432/app", "postgres://127.0.0.1:41002/app")]
    [TestCase("http://auth.team", "http://127.0.0.1:41003")]
    [TestCase("http://api", "http://127.0.0.1:9000")]
    [TestCase("http://quotes:8080", "http://quotes:8080")]
    [TestCase("http://example.com", "http://example.com")]
    [TestCase("http://quotesx", "http://quotesx")]
    [TestCase("a=http://quotes b=http://db:5432", "a=http://127.0.0.1:41001 b=http://127.0.0.1:41002")]
    [TestCase("quotes", "quotes")]
    public void Urls_That_Name_A_Service_Of_The_Space_Point_At_Its_Local_Endpoint(string value, string expected) =>
        Assert.That(ConnectEnvironment.RewriteServiceUrls(value, Endpoints, Plan(), 9000), Is.EqualTo(expected));

    [Test]
    public void References_Expand_To_Earlier_Variables_Like_Kubernetes_Does()
    {
        var defined = new Dictionary<string, string> { ["HOST"] = "db", ["PORT"] = "5432" };
        Assert.Multiple(() =>
        {
            Assert.That(ConnectEnvironment.Expand("$(HOST):$(PORT)", defined), Is.EqualTo("db:5432"));
            Assert.That(ConnectEnvironment.Expand("$(UNKNOWN)", defined), Is.EqualTo("$(UNKNOWN)"));
            Assert.That(ConnectEnvironment.Expand("$$(HOST)", defined), Is.EqualTo("$(HOST)"));
        });
    }

    [Test]
    public void Service_Variables_Follow_Kubernetes_Names_With_Local_Values()
    {
        var variables = ConnectEnvironment.ServiceVariables(Endpoints.Where(e => e.Namespace == "dev"), "api", Plan().Ports, 9000).ToDictionary(v => v.Name, v => v.Value);
        Assert.Multiple(() =>
        {
            Assert.That(variables["QUOTES_SERVICE_HOST"], Is.EqualTo("127.0.0.1"));
            Assert.That(variables["QUOTES_SERVICE_PORT"], Is.EqualTo("41001"));
            Assert.That(variables["QUOTES_SERVICE_PORT_HTTP"], Is.EqualTo("41001"));
            Assert.That(variables["QUOTES_PORT"], Is.EqualTo("tcp://127.0.0.1:41001"));
            Assert.That(variables["DB_PORT_41002_TCP_ADDR"], Is.EqualTo("127.0.0.1"));
            Assert.That(variables["API_SERVICE_PORT"], Is.EqualTo("9000"), "the connected service is the local process");
            Assert.That(variables.Keys.Any(k => k.StartsWith("AUTH_", StringComparison.Ordinal)), Is.False, "Kubernetes sets variables only for the pod's own namespace");
        });
    }

    [Test]
    public void The_Env_File_Quotes_Values_That_Need_It()
    {
        var text = ConnectCommand.EnvFileText(new Dictionary<string, string> { ["B"] = "two words", ["A"] = "plain", ["C"] = "line\nbreak \"q\" $x" });
        Assert.That(text, Is.EqualTo("A=plain\nB=\"two words\"\nC=\"line\\nbreak \\\"q\\\" \\$x\"\n"));
    }

    [Test]
    public void The_Env_File_Lists_The_Mounts_As_Comments_Before_The_Variables()
    {
        var text = ConnectCommand.EnvFileText(
            new Dictionary<string, string> { ["DEVSPACES_MOUNT_ROOT"] = "/run/m/s1", ["SETTINGS"] = "/run/m/s1/etc/app/a.json" },
            [new LocalMount("/etc/app", "config", "configMap", "/run/m/s1/etc/app"), new LocalMount("/cache", "cache", "emptyDir", null, "not shared")]);
        Assert.That(text, Is.EqualTo(
            "# mount /etc/app → /run/m/s1/etc/app\n# mount /cache not copied (emptyDir volume cache)\nDEVSPACES_MOUNT_ROOT=/run/m/s1\nSETTINGS=/run/m/s1/etc/app/a.json\n"));
    }

    [Test]
    public void A_Record_Survives_The_Round_Trip_And_Garbage_Is_No_Record()
    {
        var record = new TakeoverRecord("s1", "me@host", "host", 42, DateTimeOffset.Parse("2026-01-02T03:04:05Z", System.Globalization.CultureInfo.InvariantCulture), "api", 3, "api");
        Assert.That(TakeoverRecord.Parse(record.ToJson()), Is.EqualTo(record));
        Assert.That(TakeoverRecord.Parse("not json"), Is.Null);
        Assert.That(TakeoverRecord.Parse(null), Is.Null);
    }

    [Test]
    public void Session_Object_Names_Stay_Valid_For_Long_Deployment_Names()
    {
        var name = new string('a', 70);
        Assert.That(TakeoverNames.Agent(name).Length, Is.LessThanOrEqualTo(63));
        Assert.That(TakeoverNames.SessionSecret(name).Length, Is.LessThanOrEqualTo(63));
        Assert.That(TakeoverNames.AgentAccess(name, "0123456789ab"), Has.Length.LessThanOrEqualTo(63).And.EndWith("-0123456789ab"));
    }
}
