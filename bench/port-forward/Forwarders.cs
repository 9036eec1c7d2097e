using System.Diagnostics;
using System.Net;
using System.Text.Json;
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

/// <summary><c>devspaces port-forward --output json</c> as a separate process, stopped with SIGINT like a user's Ctrl-C.</summary>
public sealed class DevSpacesForward : IAsyncDisposable
{
    private readonly Process _process;
    private readonly DirectoryInfo _workspace;

    private DevSpacesForward(Process process, DirectoryInfo workspace, IReadOnlyList<IPEndPoint> endpoints)
    {
        _process = process;
        _workspace = workspace;
        Endpoints = endpoints;
    }

    public IReadOnlyList<IPEndPoint> Endpoints { get; }

    public int Pid => _process.Id;

    public static async Task<DevSpacesForward> StartAsync(string kubeconfig, string ns, string target, IReadOnlyList<int> remotePorts)
    {
        var workspace = Directory.CreateTempSubdirectory("devspaces-bench-workspace-");
        var args = new List<string> { Path.Combine(AppContext.BaseDirectory, "devspaces.dll"), "port-forward", target };
        args.AddRange(remotePorts.Select(p => $":{p}"));
        args.AddRange(["--space", ns, "--kubeconfig", kubeconfig, "--workspace", workspace.FullName, "--output", "json"]);
        var process = Process.Start(new ProcessStartInfo("dotnet", args) { RedirectStandardOutput = true, RedirectStandardError = true })
                      ?? throw new InvalidOperationException("devspaces did not start");
        var endpoints = new IPEndPoint?[remotePorts.Count];
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new object();
        var errors = new List<string>();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (gate)
                {
                    errors.Add(e.Data);
                }
            }
        };
        var seen = 0;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not { Length: > 0 } line)
            {
                return;
            }

            using var json = JsonDocument.Parse(line);
            if (json.RootElement.GetProperty("kind").GetString() != "listening")
            {
                return;
            }

            lock (gate)
            {
                // Listening events come in the order of the requested ports.
                endpoints[seen++] = new IPEndPoint(IPAddress.Loopback, json.RootElement.GetProperty("localPort").GetInt32());
                if (seen == endpoints.Length)
                {
                    listening.TrySetResult();
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var exited = process.WaitForExitAsync();
        if (await Task.WhenAny(listening.Task, exited, Task.Delay(TimeSpan.FromSeconds(60))) != listening.Task)
        {
            throw new InvalidOperationException($"devspaces port-forward did not start listening: {string.Join("\n", errors)}");
        }

        return new DevSpacesForward(process, workspace, endpoints!);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var interrupt = Process.Start("kill", ["-INT", _process.Id.ToString()]))
            {
                await interrupt.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
        _workspace.Delete(recursive: true);
    }
}
