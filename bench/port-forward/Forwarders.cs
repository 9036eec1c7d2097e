using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace DevSpaces.Bench.PortForward;

/// <summary><c>kubectl port-forward</c> as the baseline, started and stopped by its own pid.</summary>
public sealed partial class KubectlForward : IAsyncDisposable
{
    private readonly Process _process;

    private KubectlForward(Process process, IReadOnlyList<IPEndPoint> endpoints)
    {
        _process = process;
        Endpoints = endpoints;
    }

    public IReadOnlyList<IPEndPoint> Endpoints { get; }

    public int Pid => _process.Id;

    public static async Task<KubectlForward> StartAsync(string kubeconfig, string ns, string target, IReadOnlyList<int> remotePorts)
    {
        var args = new List<string> { "--kubeconfig", kubeconfig, "-n", ns, "port-forward", "--address", "127.0.0.1", target };
        args.AddRange(remotePorts.Select(p => $":{p}"));
        var process = Process.Start(new ProcessStartInfo("/usr/bin/kubectl", args) { RedirectStandardOutput = true, RedirectStandardError = true })
                      ?? throw new InvalidOperationException("kubectl did not start");
        process.ErrorDataReceived += (_, _) => { };
        var endpoints = new IPEndPoint?[remotePorts.Count];
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new object();

        // Keep draining stdout ("Handling connection for ...") so kubectl never blocks on a full pipe.
        process.OutputDataReceived += (_, e) =>
        {
            var match = e.Data is null ? Match.Empty : ForwardingLine().Match(e.Data);
            if (!match.Success)
            {
                return;
            }

            lock (gate)
            {
                var index = remotePorts.ToList().IndexOf(int.Parse(match.Groups["remote"].Value));
                endpoints[index] = new IPEndPoint(IPAddress.Loopback, int.Parse(match.Groups["local"].Value));
                if (endpoints.All(p => p is not null))
                {
                    listening.TrySetResult();
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await listening.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return new KubectlForward(process, endpoints!);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"Forwarding from 127\.0\.0\.1:(?<local>\d+) -> (?<remote>\d+)")]
    private static partial Regex ForwardingLine();
}
