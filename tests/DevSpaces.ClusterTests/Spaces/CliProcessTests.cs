using System.Diagnostics;
using System.Text.Json;

namespace DevSpaces.ClusterTests.Spaces;

/// <summary>The <c>devspaces</c> executable as a user runs it in a terminal, against the real cluster.</summary>
public class CliProcessTests : SpaceTestBase
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DevSpaces.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("repository root not found");
    }

    /// <summary>The executable of the configuration these tests were built in.</summary>
    private static string Executable() =>
        Path.Combine(RepositoryRoot(), "daemon", "DevSpaces.Cli", "bin", new DirectoryInfo(TestContext.CurrentContext.TestDirectory).Parent!.Name, "net10.0", "devspaces");

    private async Task<(int Code, string Out, string Err)> RunAsync(string exe, params string[] args)
    {
        var info = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Folder.Path };
        info.Environment["KUBECONFIG"] = Kubeconfig.Path;
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            Assert.Fail($"devspaces {string.Join(' ', args)} did not finish within {Timeout.TotalSeconds} s");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    [Test]
    public async Task Spaces_Are_Created_Listed_Selected_And_Deleted_From_A_Terminal()
    {
        var exe = Executable();
        var (root, child) = (Unique("cli"), Unique("clikid"));
        var createRoot = await RunAsync(exe, "space", "create", root);
        var createChild = await RunAsync(exe, "space", "create", child, "--parent", root);
        var list = await RunAsync(exe, "space", "list", "--output", "json");
        var select = await RunAsync(exe, "space", "select", child);
        var current = await RunAsync(exe, "space", "current", "-o", "json");
        var services = await RunAsync(exe, "service", "list");
        var refused = await RunAsync(exe, "space", "delete", root);
        var deleted = await RunAsync(exe, "space", "delete", root, "--recursive");

        var roots = JsonDocument.Parse(list.Out).RootElement.GetProperty("roots");
        var rootNode = roots.EnumerateArray().Single(r => r.GetProperty("name").GetString() == root);
        Assert.Multiple(() =>
        {
            Assert.That(createRoot, Is.EqualTo((0, $"Created root space '{root}'.\n", "")));
            Assert.That(createChild.Out, Does.Contain($"as a child of '{root}'"));
            Assert.That(rootNode.GetProperty("children")[0].GetProperty("name").GetString(), Is.EqualTo(child));
            Assert.That(select.Code, Is.EqualTo(0));
            Assert.That(JsonDocument.Parse(current.Out).RootElement.GetProperty("space").GetString(), Is.EqualTo(child));
            Assert.That(services.Out, Does.Contain($"No services in space '{child}'"));
            Assert.That(refused.Code, Is.EqualTo(1));
            Assert.That(refused.Err.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
            Assert.That(refused.Err, Does.Contain("has child spaces").And.Contain("--recursive"));
            Assert.That(deleted.Code, Is.EqualTo(0));
            Assert.That(deleted.Out, Does.Contain("no space is selected"), "the selected child went with its parent");
        });
    }

    [Test]
    public async Task The_Repository_Wrapper_Runs_The_Built_CLI()
    {
        var (code, output, _) = await RunAsync(Path.Combine(RepositoryRoot(), "bin", "devspaces"), "--version");
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(0));
            Assert.That(output.Trim(), Does.Match(@"^\d+\.\d+\.\d+"));
        });
    }
}
