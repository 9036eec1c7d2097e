using System.Diagnostics;

namespace DevSpaces.ClusterTests.Support;

/// <summary>Runs one of the repository's scripts as a user would, bounded by a timeout.</summary>
public static class ScriptRunner
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static async Task<Result> RunAsync(string file, IEnumerable<string> args, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{file} {string.Join(' ', args)} did not finish within {timeout.TotalSeconds:0} s:\n{await stdout}{await stderr}");
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
