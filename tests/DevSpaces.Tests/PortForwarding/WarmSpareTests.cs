using System.Net.WebSockets;
using DevSpaces.Core.PortForwarding;

namespace DevSpaces.Tests.PortForwarding;

public class WarmSpareTests
{
    private List<WebSocket> _sockets = [];
    private string? _currentPod;

    [SetUp]
    public void Reset()
    {
        _sockets = [];
        _currentPod = "pod-a";
    }

    [Test]
    public async Task A_Replenished_Spare_Is_Handed_Out_Once()
    {
        var opened = new TaskCompletionSource();
        await using var spare = new WarmSpare(ct => Open(opened), () => _currentPod, TimeSpan.FromMinutes(1));
        Assert.That(spare.TryTake(), Is.Null, "no spare before the first connection");

        spare.Replenish();
        await opened.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var taken = await TakeAsync(spare);

        Assert.Multiple(() =>
        {
            Assert.That(taken.Pod, Is.EqualTo("pod-a"));
            Assert.That(spare.TryTake(), Is.Null, "the same spare must not be handed out twice");
        });
    }

    [Test]
    public async Task A_Spare_For_A_Pod_That_Is_No_Longer_Current_Is_Not_Used()
    {
        var opened = new TaskCompletionSource();
        await using var spare = new WarmSpare(ct => Open(opened), () => _currentPod, TimeSpan.FromMinutes(1));
        spare.Replenish();
        await opened.Task.WaitAsync(TimeSpan.FromSeconds(10));
        _currentPod = "pod-b";
        Assert.That(spare.TryTake(), Is.Null);
    }

    [Test]
    public async Task An_Unused_Spare_Is_Closed_When_Its_Lifetime_Ends()
    {
        var opened = new TaskCompletionSource();
        await using var spare = new WarmSpare(ct => Open(opened), () => _currentPod, TimeSpan.FromMilliseconds(50));
        spare.Replenish();
        await opened.Task.WaitAsync(TimeSpan.FromSeconds(10));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (_sockets[0].State == WebSocketState.Open)
        {
            await Task.Delay(10, timeout.Token);
        }

        Assert.That(spare.TryTake(), Is.Null);
    }

    [Test]
    public async Task Disposing_Closes_A_Waiting_Spare()
    {
        var opened = new TaskCompletionSource();
        var spare = new WarmSpare(ct => Open(opened), () => _currentPod, TimeSpan.FromMinutes(1));
        spare.Replenish();
        await opened.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await spare.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(_sockets[0].State, Is.Not.EqualTo(WebSocketState.Open));
    }

    private Task<PodConnection> Open(TaskCompletionSource opened)
    {
        var socket = WebSocket.CreateFromStream(new MemoryStream(), isServer: false, subProtocol: null, keepAliveInterval: TimeSpan.Zero);
        _sockets.Add(socket);
        opened.TrySetResult();
        return Task.FromResult(new PodConnection(_currentPod!, 80, new PodPortChannel(socket)));
    }

    private static async Task<PodConnection> TakeAsync(WarmSpare spare)
    {
        // The spare becomes takeable right after the open completes.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            if (spare.TryTake() is { } taken)
            {
                return taken;
            }

            await Task.Delay(5, timeout.Token);
        }
    }
}
