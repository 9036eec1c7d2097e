using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace DevSpaces.Bench.Images;

/// <summary>Debian's docker-registry on a free loopback port with storage in a temp folder; stopped by its pid.</summary>
public sealed class BenchRegistry : IAsyncDisposable
{
    private readonly Process _process;
    private readonly DirectoryInfo _root;

    private BenchRegistry(Process process, DirectoryInfo root, string address)
    {
        _process = process;
        _root = root;
        Address = address;
    }

    public string Address { get; }

    public static async Task<BenchRegistry> StartAsync()
    {
        var root = Directory.CreateTempSubdirectory("devspaces-bench-registry-");
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var config = Path.Combine(root.FullName, "config.yml");
        await File.WriteAllTextAsync(config, $"version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: {root.FullName}/data\nhttp:\n  addr: 127.0.0.1:{port}\n");
        var process = Process.Start(new ProcessStartInfo("docker-registry", ["serve", config]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var registry = new BenchRegistry(process, root, $"127.0.0.1:{port}");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                if ((await http.GetAsync($"http://{registry.Address}/v2/")).IsSuccessStatusCode)
                {
                    return registry;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (DateTime.UtcNow > deadline || process.HasExited)
            {
                await registry.DisposeAsync();
                throw new InvalidOperationException("docker-registry did not start answering in 30 s");
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _root.Delete(recursive: true);
    }
}
