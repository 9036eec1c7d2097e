using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DevSpaces.ClusterTests.PortForwarding;

namespace DevSpaces.ClusterTests.Images;

/// <summary>A real registry (Debian's docker-registry) on loopback with storage in a temp folder; stopped on dispose.</summary>
public sealed class LocalRegistry : IAsyncDisposable
{
    private readonly Process _process;
    private readonly DirectoryInfo _root;

    private LocalRegistry(Process process, DirectoryInfo root, string address)
    {
        _process = process;
        _root = root;
        Address = address;
    }

    /// <summary><c>127.0.0.1:PORT</c>; dockerd treats loopback registries as insecure (plain HTTP) by default.</summary>
    public string Address { get; }

    public static async Task<LocalRegistry> StartAsync()
    {
        var root = Directory.CreateTempSubdirectory("devspaces-registry-");
        var port = FreePort();
        var config = Path.Combine(root.FullName, "config.yml");
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            log:
              level: warn
            storage:
              filesystem:
                rootdirectory: {Path.Combine(root.FullName, "data")}
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:{port}
            """);
        var process = Process.Start(new ProcessStartInfo("docker-registry", ["serve", config])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        }) ?? throw new InvalidOperationException("docker-registry did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var registry = new LocalRegistry(process, root, $"127.0.0.1:{port}");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await TestCluster.WaitUntilAsync(async () =>
        {
            if (process.HasExited)
            {
                Assert.Fail($"docker-registry exited with code {process.ExitCode}");
            }

            try
            {
                return (await http.GetAsync($"http://{registry.Address}/v2/")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(30), $"the registry answers on {registry.Address}");
        return registry;
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
