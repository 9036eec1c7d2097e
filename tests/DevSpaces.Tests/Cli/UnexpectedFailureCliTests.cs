using System.Text.Json;
using DevSpaces.Cli.Commands;
using DevSpaces.Contracts;
using DevSpaces.Core.Cluster;
using DevSpaces.Tests.Support;

namespace DevSpaces.Tests.Cli;

/// <summary>
/// The CLI's guard: every verb, given a kubeconfig source that fails as a bug would (an exception that is not ours),
/// ends with exit code 1 and one line naming the verb, the cause and the file holding the stack trace.
/// </summary>
public class UnexpectedFailureCliTests
{
    private TempDirectory dir = null!;

    [SetUp]
    public void CreateDirectory() => dir = new TempDirectory();

    [TearDown]
    public void RemoveDirectory() => dir.Dispose();

    private static IEnumerable<TestCaseData> Verbs()
    {
        TestCaseData Verb(string operation, params string[] args) => new TestCaseData(operation, args).SetArgDisplayNames(string.Join(' ', args));
        yield return Verb("context list", "context", "list");
        yield return Verb("context use", "context", "use", "other");
        yield return Verb("context status", "context", "status");
        yield return Verb("space list", "space", "list");
        yield return Verb("space create", "space", "create", "team");
        yield return Verb("space create", "space", "create", "alice", "--parent", "team");
        yield return Verb("space select", "space", "select", "team");
        yield return Verb("space select", "space", "select", "--clear");
        yield return Verb("space current", "space", "current");
        yield return Verb("space delete", "space", "delete", "team", "--recursive");
        yield return Verb("service list", "service", "list", "--space", "team");
        yield return Verb("connect", "connect", "api", "--local-port", "5000", "--space", "team");
        yield return Verb("port-forward", "port-forward", "service/api", "8080:80", "--space", "team");
        yield return Verb("image build", "image", "build", ".", "--repository", "team/api");
    }

    private async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var app = new CliApp(stdout, stderr, dir.Path, null, dir.Path)
        {
            LogDirectory = Path.Combine(dir.Path, "logs"),
            Kubeconfig = _ => new FailingKubeconfig(),
        };
        var code = await app.RunAsync(args, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [TestCaseSource(nameof(Verbs))]
    public async Task An_Unexpected_Failure_Ends_In_One_Line_Naming_The_Verb_The_Cause_And_The_Log_File(string operation, string[] args)
    {
        var (code, _, error) = await RunAsync(args);
        var logs = Directory.Exists(Path.Combine(dir.Path, "logs")) ? Directory.GetFiles(Path.Combine(dir.Path, "logs")) : [];
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(1));
            Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1), error);
            Assert.That(error, Does.StartWith($"devspaces: '{operation}' failed unexpectedly: InvalidOperationException: injected failure"));
            Assert.That(error, Does.Not.Contain("   at "), "no stack trace");
            Assert.That(logs, Has.Length.EqualTo(1), "one file with the details");
            Assert.That(error, Does.Contain(logs.FirstOrDefault() ?? "(none)"));
            Assert.That(logs.Length == 1 ? File.ReadAllText(logs[0]) : "", Does.Contain("   at ").And.Contain(nameof(FailingKubeconfig)), "the stack trace is in the file");
        });
    }

    [Test]
    public async Task With_Json_Output_The_Unexpected_Failure_Is_An_Error_Object()
    {
        var (code, _, error) = await RunAsync("space", "list", "-o", "json");
        var parsed = JsonDocument.Parse(error).RootElement.GetProperty("error");
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(1));
            Assert.That(parsed.GetProperty("code").GetInt32(), Is.EqualTo(RpcErrorCode.Unexpected));
            Assert.That(parsed.GetProperty("message").GetString(), Does.Contain("'space list' failed unexpectedly"));
            Assert.That(parsed.GetProperty("hint").GetString(), Does.Contain(Path.Combine(dir.Path, "logs")));
            Assert.That(error, Does.Not.Contain("   at "));
        });
    }

    [Test]
    public async Task A_Cancelled_Command_Exits_With_130_And_No_Error()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var stderr = new StringWriter();
        var app = new CliApp(new StringWriter(), stderr, dir.Path, null, dir.Path)
        {
            LogDirectory = Path.Combine(dir.Path, "logs"),
            Kubeconfig = _ => new CancelledKubeconfig(cancelled.Token),
        };
        var code = await app.RunAsync(["space", "list"], cancelled.Token);
        Assert.That((code, stderr.ToString()), Is.EqualTo((130, "")));
    }

    private sealed class FailingKubeconfig : IKubeconfigSource
    {
        public (IReadOnlyList<string> Files, string Origin) Candidates() => throw new InvalidOperationException("injected failure");

        public LoadedKubeconfig Load() => throw new InvalidOperationException("injected failure");
    }

    private sealed class CancelledKubeconfig(CancellationToken token) : IKubeconfigSource
    {
        public (IReadOnlyList<string> Files, string Origin) Candidates() => throw new OperationCanceledException(token);

        public LoadedKubeconfig Load() => throw new OperationCanceledException(token);
    }
}
