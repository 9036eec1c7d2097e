using System.Diagnostics;
using System.Text;
using DevSpaces.ClusterTests.Support;

namespace DevSpaces.ClusterTests.Connect;

/// <summary>The real <c>devspaces connect</c> command as a child process, with its stderr collected.</summary>
public sealed class ConnectCommandProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder stderr = new();
    private readonly Lock gate = new();

    public ConnectCommandProcess(string kubeconfig, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = InterruptibleProcess.StartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "devspaces.dll"), .. args]);
        start.RedirectStandardError = true;
        start.RedirectStandardOutput = true;

        start.Environment["KUBECONFIG"] = kubeconfig;
        start.Environment["DEVSPACES_AGENT_BASE_IMAGE"] = SampleSpace.TestBaseImage;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        process = Process.Start(start)!;
        process.ErrorDataReceived += (_, e) =>
        {
            lock (gate)
            {
                stderr.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        StandardOutput = process.StandardOutput.ReadToEndAsync();
    }

    /// <summary>
    /// How long the agent may take to restore a workload it scaled to 0 after the command was killed: its heartbeat
    /// timeout (6 s), the original replicas starting and passing their readiness probe, then the Service's selector
    /// back, kube-proxy's settle time (3 s) and the record removed.
    /// </summary>
    public static readonly TimeSpan RestoredAfterKill = TimeSpan.FromSeconds(30);

    public Task<string> StandardOutput { get; }

    public string StandardError
    {
        get
        {
            lock (gate)
            {
                return stderr.ToString();
            }
        }
    }

    public Process Process => process;

    /// <summary>
    /// Kills the command with SIGKILL, so that it has no chance to clean up and only the agent can restore, then waits
    /// at most <paramref name="within"/> until <paramref name="restored"/> holds, and reports how long that took.
    /// </summary>
    public async Task KillAndWaitUntilRestoredAsync(Func<Task<bool>> restored, TimeSpan within, string what)
    {
        process.Kill();
        var killed = Stopwatch.StartNew();
        await ClusterWaits.ConditionAsync(restored, within, () => $"the agent restored {what} after the command was killed ({killed.Elapsed.TotalSeconds:0.0} s)");
        TestContext.Progress.WriteLine($"{what} restored {killed.Elapsed.TotalSeconds:0.0} s after kill -9");
    }

    public Task WaitForOutputAsync(string text, TimeSpan timeout) =>
        ClusterWaits.ConditionAsync(() => Task.FromResult(StandardError.Contains(text, StringComparison.Ordinal) || process.HasExited), timeout, () => $"devspaces connect printed '{text}'; stderr so far:\n{StandardError}")
            .ContinueWith(t =>
            {
                t.GetAwaiter().GetResult();
                Assert.That(StandardError, Does.Contain(text), $"devspaces connect exited ({(process.HasExited ? process.ExitCode : 0)}) before printing '{text}'");
            }, TaskScheduler.Default);

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"devspaces connect did not exit within {timeout.TotalSeconds:0} s; stderr:\n{StandardError}");
        }

        return process.ExitCode;
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        process.Dispose();
    }
}
