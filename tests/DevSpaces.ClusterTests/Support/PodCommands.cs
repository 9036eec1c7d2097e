using System.Text;
using k8s;

namespace DevSpaces.ClusterTests.Support;

/// <summary>Runs commands in pods through the API server's exec endpoint.</summary>
public static class PodCommands
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    public static async Task<Result> ExecAsync(Kubernetes client, string ns, string pod, string container, string[] command, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        try
        {
            var exitCode = await client.NamespacedPodExecAsync(
                pod, ns, container, command, tty: false,
                async (_, output, error) =>
                {
                    using var outReader = new StreamReader(output);
                    using var errReader = new StreamReader(error);
                    var readOut = outReader.ReadToEndAsync(cts.Token);
                    var readErr = errReader.ReadToEndAsync(cts.Token);
                    stdout.Append(await readOut);
                    stderr.Append(await readErr);
                },
                cts.Token);
            return new Result(exitCode, stdout.ToString(), stderr.ToString());
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            Assert.Fail($"'{string.Join(' ', command)}' in pod {ns}/{pod} did not finish within {timeout.TotalSeconds:0} s. Output so far: {stdout}{stderr}");
            throw;
        }
    }
}
