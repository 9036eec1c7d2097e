using System.Diagnostics;
using System.Net;
using System.Net.NetworkInformation;

namespace DevSpaces.ClusterTests.Support;

/// <summary>
/// A host that is not part of the cluster, made on this machine: a network namespace joined to the
/// host by a veth pair, with an address in 198.18.0.0/15 (reserved for network tests, outside the
/// pod, service and Docker networks) and an HTTP listener that records who connects. The host
/// routes to it like to any other network, so it stands for "outside the machine" without any
/// traffic leaving it. Needs root (ip netns); everything is removed on dispose.
/// </summary>
public sealed class NamespacedTestHost : IAsyncDisposable
{
    private const string Listener = """
        const http = require('http');
        const server = http.createServer((req, res) => res.end('reached\n'));
        server.on('connection', s => console.log('connection from ' + s.remoteAddress));
        server.listen(80, process.argv[1], () => console.log('listening'));
        """;

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(20);

    private readonly string netns;
    private readonly string hostLink;
    private readonly List<string> connections = [];
    private Process? listener;

    private NamespacedTestHost(int subnet)
    {
        netns = $"devspaces-test-{subnet}";
        hostLink = $"dstest{subnet}h";
        HostSideAddress = IPAddress.Parse($"198.18.{subnet}.1");
        Address = IPAddress.Parse($"198.18.{subnet}.2");
    }

    /// <summary>The listener's address, inside the namespace.</summary>
    public IPAddress Address { get; }

    /// <summary>This machine's end of the veth pair.</summary>
    public IPAddress HostSideAddress { get; }

    /// <summary>The remote addresses of every connection the listener accepted so far.</summary>
    public IReadOnlyList<string> Connections
    {
        get
        {
            lock (connections)
            {
                return [.. connections];
            }
        }
    }

    public static async Task<NamespacedTestHost> StartAsync()
    {
        var host = new NamespacedTestHost(FreeSubnet());
        try
        {
            await host.CreateAsync();
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }

        return host;
    }

    private async Task CreateAsync()
    {
        var peer = hostLink[..^1] + "n";
        await IpAsync("netns", "add", netns);
        await IpAsync("link", "add", hostLink, "type", "veth", "peer", "name", peer);
        await IpAsync("link", "set", peer, "netns", netns);
        await IpAsync("addr", "add", $"{HostSideAddress}/30", "dev", hostLink);
        await IpAsync("link", "set", hostLink, "up");
        await IpAsync("-n", netns, "link", "set", "lo", "up");
        await IpAsync("-n", netns, "addr", "add", $"{Address}/30", "dev", peer);
        await IpAsync("-n", netns, "link", "set", peer, "up");
        // Answers go back through this machine to wherever a connection came from, a pod included:
        // only the cluster's firewall can keep a pod out.
        await IpAsync("-n", netns, "route", "add", "default", "via", HostSideAddress.ToString());

        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "netns", "exec", netns, "node", "-e", Listener, Address.ToString() })
        {
            start.ArgumentList.Add(argument);
        }

        listener = Process.Start(start)!;
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        listener.OutputDataReceived += (_, e) =>
        {
            if (e.Data == "listening")
            {
                listening.TrySetResult();
            }
            else if (e.Data?.StartsWith("connection from ", StringComparison.Ordinal) == true)
            {
                lock (connections)
                {
                    connections.Add(e.Data["connection from ".Length..]);
                }
            }
        };
        listener.BeginOutputReadLine();
        var stderr = listener.StandardError.ReadToEndAsync();
        var exited = listener.WaitForExitAsync();
        if (await Task.WhenAny(listening.Task, exited, Task.Delay(CommandTimeout)) != listening.Task)
        {
            Assert.Fail($"The test host's listener in network namespace {netns} did not start: {(exited.IsCompleted ? await stderr : "no answer in time")}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (listener is not null)
        {
            if (!listener.HasExited)
            {
                listener.Kill(entireProcessTree: true);
            }

            await listener.WaitForExitAsync();
            listener.Dispose();
        }

        // Deleting the namespace destroys the veth end in it, and with it the pair.
        await ScriptRunner.RunAsync("ip", ["netns", "delete", netns], CommandTimeout);
        await ScriptRunner.RunAsync("ip", ["link", "delete", hostLink], CommandTimeout);
    }

    /// <summary>A /24 of 198.18.0.0/16 that no interface of this machine has an address in.</summary>
    private static int FreeSubnet()
    {
        var used = NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address.GetAddressBytes())
            .Where(b => b.Length == 4 && b[0] == 198 && b[1] == 18)
            .Select(b => (int)b[2])
            .ToHashSet();
        var free = Enumerable.Range(1, 254).Where(n => !used.Contains(n)).ToList();
        return free[Random.Shared.Next(free.Count)];
    }

    private async Task IpAsync(params string[] arguments)
    {
        var (exitCode, _, stderr) = await ScriptRunner.RunAsync("ip", arguments, CommandTimeout);
        if (exitCode != 0)
        {
            Assert.Fail($"ip {string.Join(' ', arguments)} failed (the test host needs root and iproute2): {stderr.Trim()}");
        }
    }
}
