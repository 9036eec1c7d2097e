using System.Runtime.InteropServices;
using DevSpaces.Core.Sync;
using DevSpaces.Helper.Protocol;
using DevSpaces.Tests.Support;

namespace DevSpaces.Tests.Sync;

public sealed class HelperProcessTests
{
    [Test]
    public async Task As_PID_1_The_Helper_Syncs_500_Files_And_Restarts_The_App_Under_A_New_Pid()
    {
        Assume.That(HelperProcess.CanRunAsPidOne, "needs root and unshare for a PID namespace");
        await using var helper = await HelperProcess.StartAsync(asPidOne: true, "sleep", "600");
        await using var client = await helper.ConnectAsync();
        Assert.That(client.Welcome.HelperPid, Is.EqualTo(1), "the helper is the namespace's init");
        var firstApp = client.Welcome.AppPid;
        Assert.That(firstApp, Is.GreaterThan(1));

        using var local = new TempDirectory();
        SyncTrees.Write(local.Path, 500);
        var scanner = new FolderScanner(local.Path, new SyncRules(null, []));
        scanner.ScanAll();
        var plan = SyncPlanner.Plan(scanner.Files, (await client.ListFilesAsync(SyncTrees.Timeout)).ToDictionary(f => f.Path), scanner.Rules, scanner.SkippedPaths);
        var applied = await client.ApplyAsync(plan, local.Path, SyncTrees.Timeout);
        Assert.That(applied.Result.Applied, Is.EqualTo(500));
        Assert.That(applied.Result.TreeHash, Is.EqualTo(TreeHash.Compute(scanner.Files.Values)));
        Assert.That(SyncTrees.HashOf(helper.Container.Path), Is.EqualTo(applied.Result.TreeHash));

        var restarted = await client.RestartAsync(TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(300), SyncTrees.Timeout);
        Assert.That(restarted.State, Is.EqualTo(AppState.Running));
        Assert.That(restarted.Pid, Is.Not.EqualTo(firstApp));
        await using var again = await helper.ConnectAsync();
        Assert.That(again.Welcome.HelperPid, Is.EqualTo(1), "still the same init: the container did not restart");
        Assert.That(again.Welcome.AppPid, Is.EqualTo(restarted.Pid));
    }

    [Test]
    public async Task A_Failing_App_Start_Is_Reported_And_The_Helper_Keeps_Serving()
    {
        await using var helper = await HelperProcess.StartAsync(asPidOne: false, "/nonexistent/app");
        await using var client = await helper.ConnectAsync();
        var status = await client.GetStatusAsync(SyncTrees.Timeout);
        Assert.That(status.State, Is.EqualTo(AppState.FailedToStart));
        Assert.That(status.Message, Does.Contain("/nonexistent/app"));
        Assert.That(client.Welcome.AppPid, Is.Zero);
        Assert.That(helper.Process.HasExited, Is.False);
    }

    [Test]
    public async Task SIGTERM_Stops_The_App_And_The_Helper_Leaves_With_Its_Exit_Code()
    {
        await using var helper = await HelperProcess.StartAsync(asPidOne: false, "sh", "-c", "trap 'exit 3' TERM; echo up; while :; do sleep 0.05; done");
        await helper.Log.WaitForAsync(l => l == "app: up", TimeSpan.FromSeconds(20), "the app to start");
        Assert.That(Kill(helper.Process.Id, 15), Is.Zero);
        await helper.Process.WaitForExitAsync(SyncTrees.Timeout);
        Assert.That(helper.Process.ExitCode, Is.EqualTo(3));
    }

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
