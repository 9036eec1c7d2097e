using DevSpaces.Core.PortForwarding;
using DevSpaces.Tests.Support;

namespace DevSpaces.Tests.PortForwarding;

public class SessionPodChannelOpenerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Test]
    public async Task Connections_To_One_Pod_Share_One_Session()
    {
        var dialer = new FakeDialer();
        await using var opener = new SessionPodChannelOpener(dialer, new FakeFallback());
        using var cts = new CancellationTokenSource(Timeout);
        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => opener.OpenAsync("ns", "pod-a", 80, cts.Token)));
        Assert.Multiple(() =>
        {
            Assert.That(dialer.Dialed, Is.EqualTo(new[] { "ns/pod-a" }));
            Assert.That(dialer.Sessions[0].Opened, Is.EqualTo(5));
        });
    }

    [Test]
    public async Task Connections_Waiting_For_A_Session_Being_Dialed_Do_Not_Dial_Another()
    {
        var dialer = new FakeDialer { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        await using var opener = new SessionPodChannelOpener(dialer, new FakeFallback());
        using var cts = new CancellationTokenSource(Timeout);
        var opening = Enumerable.Range(0, 3).Select(_ => opener.OpenAsync("ns", "pod-a", 80, cts.Token)).ToList();
        dialer.Gate.SetResult();
        await Task.WhenAll(opening);
        Assert.That(dialer.Dialed, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_Session_That_Ended_Is_Replaced_By_A_New_One()
    {
        var dialer = new FakeDialer();
        await using var opener = new SessionPodChannelOpener(dialer, new FakeFallback());
        using var cts = new CancellationTokenSource(Timeout);
        await opener.OpenAsync("ns", "pod-a", 80, cts.Token);
        dialer.Sessions[0].IsOpen = false;
        await opener.OpenAsync("ns", "pod-a", 80, cts.Token);
        Assert.Multiple(() =>
        {
            Assert.That(dialer.Dialed, Has.Count.EqualTo(2));
            Assert.That(dialer.Sessions[1].Opened, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task A_Session_Ending_While_A_Connection_Opens_Is_Dialed_Again_Once()
    {
        var dialer = new FakeDialer { EndOnFirstOpen = true };
        await using var opener = new SessionPodChannelOpener(dialer, new FakeFallback());
        var channel = await opener.OpenAsync("ns", "pod-a", 80, new CancellationTokenSource(Timeout).Token);
        Assert.Multiple(() =>
        {
            Assert.That(channel, Is.Not.Null);
            Assert.That(dialer.Dialed, Has.Count.EqualTo(2));
        });
    }

    [Test]
    public async Task A_Session_Warmed_Before_The_First_Connection_Carries_It_Without_Another_Dial()
    {
        var dialer = new FakeDialer();
        await using var opener = new SessionPodChannelOpener(dialer, new FakeFallback());
        await opener.WarmAsync("ns", "pod-a").WaitAsync(Timeout);
        Assert.That(dialer.Dialed, Is.EqualTo(new[] { "ns/pod-a" }), "dialed by the warm-up, before any connection");
        await opener.OpenAsync("ns", "pod-a", 80, new CancellationTokenSource(Timeout).Token);
        Assert.Multiple(() =>
        {
            Assert.That(dialer.Dialed, Has.Count.EqualTo(1));
            Assert.That(dialer.Sessions[0].Opened, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task A_Warm_Up_That_Fails_Leaves_The_Dial_And_The_Choice_Of_Protocol_To_The_First_Connection()
    {
        var dialer = new FakeDialer { RefuseWith = 400 };
        var fallback = new FakeFallback();
        await using var opener = new SessionPodChannelOpener(dialer, fallback);
        await opener.WarmAsync("ns", "pod-a").WaitAsync(Timeout);
        Assert.That(opener.UsesFallback, Is.False, "a warm-up does not decide the protocol");
        dialer.RefuseWith = null;
        await opener.OpenAsync("ns", "pod-a", 80, new CancellationTokenSource(Timeout).Token);
        Assert.Multiple(() =>
        {
            Assert.That(dialer.Dialed, Has.Count.EqualTo(2));
            Assert.That(dialer.Sessions.Single().Opened, Is.EqualTo(1));
            Assert.That(fallback.Opened, Is.Zero);
        });
    }

    [Test]
    public async Task A_Refused_Upgrade_Sends_This_And_Every_Later_Connection_Through_The_Fallback()
    {
        var dialer = new FakeDialer { RefuseWith = 400 };
        var fallback = new FakeFallback();
        await using var opener = new SessionPodChannelOpener(dialer, fallback);
        using var cts = new CancellationTokenSource(Timeout);
        await opener.OpenAsync("ns", "pod-a", 80, cts.Token);
        await opener.OpenAsync("ns", "pod-a", 80, cts.Token);
        Assert.Multiple(() =>
        {
            Assert.That(opener.UsesFallback, Is.True);
            Assert.That(fallback.Opened, Is.EqualTo(2));
            Assert.That(dialer.Dialed, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task A_Pod_That_Is_Gone_Is_Not_Taken_For_A_Refusal_Of_The_Protocol()
    {
        var dialer = new FakeDialer { RefuseWith = 404 };
        var fallback = new FakeFallback();
        await using var opener = new SessionPodChannelOpener(dialer, fallback);
        using var cts = new CancellationTokenSource(Timeout);
        await opener.OpenAsync("ns", "pod-a", 80, cts.Token);
        dialer.RefuseWith = null;
        await opener.OpenAsync("ns", "pod-b", 80, cts.Token);
        Assert.Multiple(() =>
        {
            Assert.That(opener.UsesFallback, Is.False);
            Assert.That(fallback.Opened, Is.EqualTo(1));
            Assert.That(dialer.Sessions.Single(s => s.Pod == "pod-b").Opened, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task An_Idle_Session_To_A_Pod_No_Longer_Used_Closes_When_Another_Pod_Is_Dialed()
    {
        var dialer = new FakeDialer();
        await using var opener = new SessionPodChannelOpener(dialer, new FakeFallback());
        using var cts = new CancellationTokenSource(Timeout);
        var first = await opener.OpenAsync("ns", "pod-a", 80, cts.Token);
        await opener.OpenAsync("ns", "pod-b", 80, cts.Token);
        var busy = dialer.Sessions[0];
        Assert.That(busy.Disposed, Is.False, "pod-a still carries a connection");
        await first.DisposeAsync();
        await opener.OpenAsync("ns", "pod-c", 80, cts.Token);
        await Poll.UntilAsync(() => busy.Disposed, Timeout, () => "the idle pod-a session was not closed");
        Assert.That(dialer.Sessions.Single(s => s.Pod == "pod-b").Disposed, Is.False, "pod-b's connection is still open");
    }

    [Test]
    public async Task Disposing_Closes_Every_Session()
    {
        var dialer = new FakeDialer();
        var opener = new SessionPodChannelOpener(dialer, new FakeFallback());
        using var cts = new CancellationTokenSource(Timeout);
        await opener.OpenAsync("ns", "pod-a", 80, cts.Token);
        await opener.OpenAsync("ns", "pod-b", 80, cts.Token);
        await opener.DisposeAsync();
        Assert.That(dialer.Sessions.Select(s => s.Disposed), Is.All.True);
    }

    private sealed class FakeDialer : IPodSessionDialer
    {
        public List<string> Dialed { get; } = [];

        public List<FakeSession> Sessions { get; } = [];

        public TaskCompletionSource? Gate { get; init; }

        public int? RefuseWith { get; set; }

        public bool EndOnFirstOpen { get; init; }

        public async Task<IPodSession> DialAsync(string @namespace, string pod, CancellationToken cancellationToken)
        {
            lock (Dialed)
            {
                Dialed.Add($"{@namespace}/{pod}");
            }

            if (Gate is not null)
            {
                await Gate.Task.WaitAsync(cancellationToken);
            }

            if (RefuseWith is { } status)
            {
                throw new PortForwardUpgradeRefusedException(status, "refused");
            }

            var session = new FakeSession(pod) { EndOnOpen = EndOnFirstOpen && Sessions.Count == 0 };
            lock (Dialed)
            {
                Sessions.Add(session);
            }

            return session;
        }
    }

    private sealed class FakeSession(string pod) : IPodSession
    {
        private int _opened;
        private int _active;

        public string Pod { get; } = pod;

        public bool EndOnOpen { get; init; }

        public bool IsOpen { get; set; } = true;

        public bool Disposed { get; private set; }

        public int Opened => _opened;

        public int ActiveChannels => _active;

        public Task<IPodChannel> OpenAsync(int port, CancellationToken cancellationToken)
        {
            if (EndOnOpen || !IsOpen)
            {
                IsOpen = false;
                throw new IOException("The session ended.");
            }

            Interlocked.Increment(ref _opened);
            Interlocked.Increment(ref _active);
            return Task.FromResult<IPodChannel>(new FakeChannel(() => Interlocked.Decrement(ref _active)));
        }

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            IsOpen = false;
            return ValueTask.CompletedTask;
        }
    }

    private sealed class FakeFallback : IPodChannelOpener
    {
        private int _opened;

        public int Opened => _opened;

        public Task<IPodChannel> OpenAsync(string @namespace, string pod, int port, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _opened);
            return Task.FromResult<IPodChannel>(new FakeChannel(() => { }));
        }
    }

    private sealed class FakeChannel(Action closed) : IPodChannel
    {
        public int Headroom => 0;

        public string? Error => null;

        public bool HasEnded => false;

        public ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken) => ValueTask.FromResult(0);

        public ValueTask WriteAsync(Memory<byte> frame, int count, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask CompleteWritesAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public void StartEarlyRead()
        {
        }

        public ValueTask DisposeAsync()
        {
            closed();
            return ValueTask.CompletedTask;
        }
    }
}
