extern alias helper;
using System.Net;
using System.Net.Sockets;
using DevSpaces.Core.Sync;
using DevSpaces.Tests.Support;
using helper::DevSpaces.Helper;

namespace DevSpaces.Tests.Sync;

/// <summary>The helper's server, tree and app supervisor in this process on a loopback port, with clients connected to it.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class InProcessHelper : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly Task serving;
    private readonly List<HelperClient> clients = [];

    public InProcessHelper(string[]? command = null)
    {
        Tree = new TreeStore(Container.Path);
        var children = new Children(reapOrphans: false);
        App = new AppProcess(command ?? [], Log.Add, children);
        listener.Start();
        serving = new HelperServer(Tree, App, children, Key, TimeSpan.FromSeconds(5), Log.Add).RunAsync(listener, stop.Token);
    }

    public string Key { get; } = DevSpaces.Tunnel.TunnelHandshake.NewKey();

    /// <summary>The container's synced folder.</summary>
    public TempDirectory Container { get; } = new();

    internal TreeStore Tree { get; }

    internal AppProcess App { get; }

    public Signal<string> Log { get; } = new();

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public async Task<HelperClient> ConnectAsync(string? key = null)
    {
        var socket = new TcpClient();
        await socket.ConnectAsync(IPAddress.Loopback, Port);
        var client = await HelperClient.ConnectAsync(socket.GetStream(), key ?? Key, SyncTrees.Timeout);
        clients.Add(client);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }

        await App.StopAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
        await stop.CancelAsync();
        listener.Stop();
        try
        {
            await serving;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        Container.Dispose();
        stop.Dispose();
        if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed)
        {
            await TestContext.Out.WriteLineAsync("helper log:\n" + string.Join("\n", Log.Snapshot()));
        }
    }
}
