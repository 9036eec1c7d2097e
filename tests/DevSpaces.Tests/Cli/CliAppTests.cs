using System.Text.Json;
using DevSpaces.Cli;
using DevSpaces.Cli.Commands;
using DevSpaces.Contracts;
using DevSpaces.Tests.Support;

namespace DevSpaces.Tests.Cli;

public class CliAppTests
{
    private TempDirectory dir = null!;

    [SetUp]
    public void CreateDirectory() => dir = new TempDirectory();

    [TearDown]
    public void RemoveDirectory() => dir.Dispose();

    private async Task<(int Code, string Out, string Err)> RunAsync(string? kubeconfigVariable, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await new CliApp(stdout, stderr, dir.Path, kubeconfigVariable, dir.Path).RunAsync(args, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Test]
    public async Task A_Known_Command_Without_Its_Arguments_Shows_Its_Usage_With_Exit_Code_2()
    {
        var (code, _, error) = await RunAsync(null, "connect");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("'connect' is not complete: devspaces connect <service> --local-port N"));
        Assert.That(error, Does.Not.Contain("unknown command"));
    }

    [Test]
    public async Task A_Command_Nobody_Knows_Is_Called_Unknown()
    {
        var (code, _, error) = await RunAsync(null, "conect", "api");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("unknown command 'conect api'"));
    }

    [Test]
    public async Task Version_Prints_The_Product_Version()
    {
        var (code, output, _) = await RunAsync(null, "--version");
        Assert.That((code, output.Trim()), Is.EqualTo((0, Program.ProductVersion)));
    }

    [Test]
    public async Task Without_A_Kubeconfig_Commands_Fail_With_One_Line_Saying_How_To_Fix_It()
    {
        var (code, output, error) = await RunAsync(null, "space", "list");
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(1));
            Assert.That(output, Is.Empty);
            Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
            Assert.That(error, Does.StartWith("devspaces: No kubeconfig found").And.Contain("KUBECONFIG"));
        });
    }

    [Test]
    public async Task Json_Errors_Carry_The_Code_And_Hint()
    {
        var (code, _, error) = await RunAsync(null, "space", "list", "--output", "json");
        var parsed = JsonDocument.Parse(error).RootElement.GetProperty("error");
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(1));
            Assert.That(parsed.GetProperty("code").GetInt32(), Is.EqualTo(RpcErrorCode.KubeconfigNotFound));
            Assert.That(parsed.GetProperty("hint").GetString(), Is.Not.Empty);
        });
    }

    [Test]
    public async Task Context_List_Reads_KUBECONFIG_And_Marks_The_Current_Context()
    {
        var kubeconfig = Kubeconfigs.Unreachable(dir);
        var (code, output, _) = await RunAsync(kubeconfig, "context", "list");
        var lines = output.TrimEnd().Split('\n');
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(0));
            Assert.That(lines[0], Does.StartWith("CURRENT"));
            Assert.That(lines.Single(l => l.Contains("nowhere")), Does.StartWith("*"));
            Assert.That(lines.Single(l => l.Contains("other")), Does.Not.StartWith("*"));
        });
    }

    [Test]
    public async Task Context_Use_Is_Remembered_In_The_Folder_Without_Touching_The_Kubeconfig()
    {
        var kubeconfig = Kubeconfigs.Unreachable(dir);
        var before = await File.ReadAllTextAsync(kubeconfig);
        var (code, _, error) = await RunAsync(kubeconfig, "context", "use", "other");
        var (_, json, _) = await RunAsync(kubeconfig, "context", "list", "-o", "json");
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(1), "the switch is made, but the cluster cannot be reached, which is an error");
            Assert.That(error, Does.Contain("Cannot reach the API server"));
            Assert.That(JsonDocument.Parse(json).RootElement.GetProperty("current").GetString(), Is.EqualTo("other"));
            Assert.That(File.ReadAllText(kubeconfig), Is.EqualTo(before));
        });
    }

    [Test]
    public async Task Invalid_Space_Names_Are_Rejected_Before_Any_Cluster_Call()
    {
        var (code, _, error) = await RunAsync(Kubeconfigs.Unreachable(dir), "space", "create", "My_Space");
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(1));
            Assert.That(error, Does.Contain("'My_Space' is invalid").And.Contain("uppercase"));
        });
    }

    [TestCase("space", "frobnicate")]
    [TestCase("space", "delete", "x", "--recursve")]
    [TestCase("space", "list", "--output", "yaml")]
    public async Task Command_Line_Mistakes_Exit_With_2(params string[] args)
    {
        var (code, _, error) = await RunAsync(null, args);
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(2));
            Assert.That(error, Does.StartWith("devspaces: "));
        });
    }

    [TestCase("exec needs a service and a program", "exec", "api")]
    [TestCase("--env takes NAME=value, not 'NOEQUALS'", "exec", "api", "--space", "dev", "--env", "NOEQUALS", "--", "ls")]
    [TestCase("debug needs one of --print-launch-config, --processes or --resume", "debug")]
    [TestCase("debug needs one of --print-launch-config, --processes or --resume", "debug", "--processes", "--resume")]
    public async Task Exec_And_Debug_Command_Line_Mistakes_Say_What_Is_Wrong_With_Exit_Code_2(string says, params string[] args)
    {
        var (code, output, error) = await RunAsync(null, args);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.StartWith("devspaces: ").And.Contain(says));
        Assert.That(output, Is.Empty, "nothing reaches stdout, which exec gives to the program");
    }

    [Test]
    public void Options_Take_Values_With_Space_Or_Equals()
    {
        var cli = CliArguments.Parse(["space", "create", "kid", "--parent=team", "-o", "json", "--recursive"]);
        Assert.Multiple(() =>
        {
            Assert.That(cli.Positional, Is.EqualTo(new[] { "space", "create", "kid" }));
            Assert.That(cli.Get("--parent"), Is.EqualTo("team"));
            Assert.That(cli.Get("--output"), Is.EqualTo("json"));
            Assert.That(cli.Has("--recursive"), Is.True);
        });
    }

    [Test]
    public void Connect_Mode_Flags_Take_No_Value()
    {
        var cli = CliArguments.Parse(["connect", "api", "--keep-original", "--local-port", "5000", "--forward-probes", "--", "dotnet", "run"]);
        Assert.Multiple(() =>
        {
            Assert.That(cli.Has("--keep-original"), Is.True);
            Assert.That(cli.Has("--forward-probes"), Is.True);
            Assert.That(cli.GetInt("--local-port"), Is.EqualTo(5000), "the flag before it did not swallow --local-port");
            Assert.That(cli.Positional, Is.EqualTo(new[] { "connect", "api", "dotnet", "run" }));
        });
    }
}
