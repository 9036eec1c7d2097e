using System.Net.WebSockets;
using DevSpaces.Core.PortForwarding;
using DevSpaces.Tests.Support;
using Nerdbank.Streams;

namespace DevSpaces.Tests.PortForwarding;

public class WarmSparesTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private List<WebSocket> _sockets = [];
    private List<WebSocket> _servers = [];
    private string? _currentPod;

    [SetUp]
    public void Reset()
    {
        _sockets = [];
        _servers = [];
        _currentPod = "pod-a";
    }

    [TearDown]
    public void CloseServers()
    {
        foreach (var server in _servers)
        {
            server.Dispose();
        }
    }

    [Test]
    public async Task No_Spare_Exists_Before_The_Forward_Is_Used()
    {
        await using var spares = new WarmSpares(_ => Open(), () => _currentPod, 2, TimeSpan.FromMinutes(1));
        Assert.Multiple(async () =>
        {
            Assert.That(await spares.TakeAsync(CancellationToken.None), Is.Null);
            Assert.That(_sockets, Is.Empty);
        });
    }

    [Test]
    public async Task Replenishing_Opens_The_Wanted_Number_And_Each_Is_Handed_Out_Once()
    {
        await using var spares = new WarmSpares(_ => Open(), () => _currentPod, 2, TimeSpan.FromMinutes(1));
        spares.Replenish();
        using var cts = new CancellationTokenSource(Timeout);
        var first = await spares.TakeAsync(cts.Token);
        var second = await spares.TakeAsync(cts.Token);
        var third = await spares.TakeAsync(cts.Token);
        Assert.Multiple(() =>
        {
            Assert.That(first, Is.Not.Null);
            Assert.That(second, Is.Not.Null.And.Not.SameAs(first));
            Assert.That(third, Is.Null);
            Assert.That(_sockets, Has.Count.EqualTo(2));
        });
    }

    [Test]
    public async Task A_Take_Waits_For_A_Spare_That_Is_Being_Opened()
    {
        var release = new TaskCompletionSource();
        await using var spares = new WarmSpares(async _ => { await release.Task; return await Open(); }, () => _currentPod, 1, TimeSpan.FromMinutes(1));
        spares.Replenish();
        var take = spares.TakeAsync(new CancellationTokenSource(Timeout).Token);
        Assert.That(take.IsCompleted, Is.False, "the take should wait for the open in flight");
        release.SetResult();
        Assert.That(await take, Is.Not.Null);
    }

    [Test]
    public async Task In_A_Burst_Only_One_Connection_Waits_For_Each_Spare_Being_Opened()
    {
        var release = new TaskCompletionSource();
        await using var spares = new WarmSpares(async _ => { await release.Task; return await Open(); }, () => _currentPod, 1, TimeSpan.FromMinutes(1));
        spares.Replenish();
        using var cts = new CancellationTokenSource(Timeout);
        var first = spares.TakeAsync(cts.Token);
        var second = spares.TakeAsync(cts.Token);
        Assert.Multiple(async () =>
        {
            Assert.That(second.IsCompleted, Is.True, "the second connection should not queue behind the first one's spare");
            Assert.That(await second, Is.Null);
        });
        release.SetResult();
        Assert.That(await first, Is.Not.Null);
    }

    [Test]
    public async Task A_Spare_For_A_Pod_That_Is_No_Longer_Current_Is_Not_Used()
    {
        await using var spares = new WarmSpares(_ => Open(), () => _currentPod, 1, TimeSpan.FromMinutes(1));
        spares.Replenish();
        await WaitUntilAsync(() => Sockets().Count == 1, "the spare is opened");
        _currentPod = "pod-b";
        Assert.That(await spares.TakeAsync(new CancellationTokenSource(Timeout).Token), Is.Null);
    }

    [Test]
    public async Task Discarded_Spares_Are_Closed_And_Never_Handed_Out_Even_One_Still_Being_Opened()
    {
        var release = new TaskCompletionSource();
        var opens = 0;
        await using var spares = new WarmSpares(async _ => { if (Interlocked.Increment(ref opens) > 1) { await release.Task; } return await Open(); }, () => _currentPod, 2, TimeSpan.FromMinutes(1));
        spares.Replenish();
        await WaitUntilAsync(() => Sockets().Count == 1 && opens == 2, "one spare is open and one is being opened");

        spares.Discard();
        release.SetResult();

        await WaitUntilAsync(() => Sockets() is { Count: 2 } all && all.All(s => s.State != WebSocketState.Open), "both spares are closed");
        Assert.That(await spares.TakeAsync(new CancellationTokenSource(Timeout).Token), Is.Null);
    }

    [Test]
    public async Task An_Unused_Spare_Is_Closed_When_Its_Lifetime_Ends()
    {
        await using var spares = new WarmSpares(_ => Open(), () => _currentPod, 1, TimeSpan.FromMilliseconds(50));
        spares.Replenish();
        await WaitUntilAsync(() => Sockets() is [var only] && only.State != WebSocketState.Open, "the expired spare is closed");
        Assert.That(await spares.TakeAsync(CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task Disposing_Closes_Waiting_Spares()
    {
        var spares = new WarmSpares(_ => Open(), () => _currentPod, 2, TimeSpan.FromMinutes(1));
        spares.Replenish();
        await WaitUntilAsync(() => Sockets().Count == 2, "both spares are opened");
        await spares.DisposeAsync().AsTask().WaitAsync(Timeout);
        Assert.That(_sockets.Select(s => s.State), Has.None.EqualTo(WebSocketState.Open));
    }

    [Test]
    public async Task A_Spare_The_Server_Closed_Is_Not_Handed_Out()
    {
        await using var spares = new WarmSpares(_ => Open(), () => _currentPod, 1, TimeSpan.FromMinutes(1));
        spares.Replenish();
        await WaitUntilAsync(() => _servers.Count == 1, "the spare is opened");
        await _servers[0].CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        await WaitUntilAsync(() => Sockets()[0].State != WebSocketState.Open, "the spare sees the close");
        Assert.That(await spares.TakeAsync(new CancellationTokenSource(Timeout).Token), Is.Null);
    }

    [Test]
    public async Task What_The_Server_Sent_Before_The_Spare_Was_Taken_Reaches_The_Client()
    {
        await using var spares = new WarmSpares(_ => Open(), () => _currentPod, 1, TimeSpan.FromMinutes(1));
        spares.Replenish();
        await WaitUntilAsync(() => _servers.Count == 1, "the spare is opened");
        // The kubelet opens the data channel with the port number, then relays the server's banner.
        await _servers[0].SendAsync(new byte[] { 0, 0x1F, 0x90 }, WebSocketMessageType.Binary, true, CancellationToken.None);
        await _servers[0].SendAsync(new byte[] { 0, (byte)'h', (byte)'i' }, WebSocketMessageType.Binary, true, CancellationToken.None);

        var spare = await spares.TakeAsync(new CancellationTokenSource(Timeout).Token);
        Assert.That(spare, Is.Not.Null);
        var buffer = new byte[64];
        var read = await spare!.Channel.ReadAsync(buffer, new CancellationTokenSource(Timeout).Token);
        Assert.That(System.Text.Encoding.ASCII.GetString(buffer, 0, read), Is.EqualTo("hi"));
        await spare.Channel.DisposeAsync();
    }

    private Task<PodConnection> Open()
    {
        // A connected pair, so the spare's early read waits like a real idle connection.
        var (clientStream, serverStream) = FullDuplexStream.CreatePair();
        var socket = WebSocket.CreateFromStream(clientStream, isServer: false, subProtocol: null, keepAliveInterval: TimeSpan.Zero);
        var server = WebSocket.CreateFromStream(serverStream, isServer: true, subProtocol: null, keepAliveInterval: TimeSpan.Zero);
        lock (_sockets)
        {
            _sockets.Add(socket);
            _servers.Add(server);
        }

        return Task.FromResult(new PodConnection(_currentPod!, 80, new PodPortChannel(socket)));
    }

    /// <summary>The client sockets opened so far, read under the lock the opener adds them with.</summary>
    private List<WebSocket> Sockets()
    {
        lock (_sockets)
        {
            return [.. _sockets];
        }
    }

    private static Task WaitUntilAsync(Func<bool> condition, string reason) =>
        Poll.UntilAsync(condition, Timeout, () => reason, TimeSpan.FromMilliseconds(5));
}
