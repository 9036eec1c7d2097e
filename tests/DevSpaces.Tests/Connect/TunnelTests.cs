using System.Text;
using DevSpaces.Tunnel;
using Nerdbank.Streams;

namespace DevSpaces.Tests.Connect;

public sealed class TunnelTests
{
    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token;

    [Test]
    public async Task The_Agent_Accepts_A_Peer_That_Proves_The_Session_Key()
    {
        var (agent, daemon) = FullDuplexStream.CreatePair();
        var key = TunnelHandshake.NewKey();
        var accepted = TunnelHandshake.AcceptAsync(agent, key, Timeout);
        await TunnelHandshake.AuthenticateAsync(daemon, key, Timeout);
        Assert.That(await accepted, Is.True);
    }

    [Test]
    public async Task The_Agent_Rejects_A_Peer_With_Another_Key_And_The_Peer_Is_Told()
    {
        var (agent, daemon) = FullDuplexStream.CreatePair();
        var accepted = TunnelHandshake.AcceptAsync(agent, TunnelHandshake.NewKey(), Timeout);
        var error = Assert.ThrowsAsync<TunnelRejectedException>(() => TunnelHandshake.AuthenticateAsync(daemon, TunnelHandshake.NewKey(), Timeout));
        Assert.That(error!.Message, Does.Contain("rejected the session key"));
        Assert.That(await accepted, Is.False);
    }

    [Test]
    public async Task The_Key_Itself_Never_Crosses_The_Wire()
    {
        var (agent, daemon) = FullDuplexStream.CreatePair();
        var key = TunnelHandshake.NewKey();
        var recording = new MemoryStream();
        var accepted = TunnelHandshake.AcceptAsync(new RecordingStream(agent, recording), key, Timeout);
        await TunnelHandshake.AuthenticateAsync(daemon, key, Timeout);
        await accepted;
        var wire = recording.ToArray();
        Assert.That(wire, Is.Not.Empty);
        Assert.That(Contains(wire, Convert.FromBase64String(key)), Is.False);
        Assert.That(Contains(wire, Encoding.ASCII.GetBytes(key)), Is.False);
    }

    [Test]
    public async Task A_Dialled_Channel_Is_Accepted_By_Id_And_Carries_Data_Both_Ways()
    {
        var (agentEnd, daemonEnd) = FullDuplexStream.CreatePair();
        var agentSide = new EchoAgent();
        var agentOpen = TunnelConnection.OpenAsync<IAgentControl>(agentEnd, offersControl: false, agentSide, Timeout);
        await using var daemon = await TunnelConnection.OpenAsync<IDaemonCallbacks>(daemonEnd, offersControl: true, new NoInbound(), Timeout);
        await using var agent = await agentOpen;
        agentSide.Tunnel = agent;
        var control = daemon.Rpc.Attach<IAgentControl>();

        for (var i = 0; i < 20; i++)
        {
            var id = await control.DialAsync("echo", i, Timeout);
            var channel = daemon.Multiplexer.AcceptChannel(id);
            await using var stream = channel.AsStream();
            var message = Encoding.UTF8.GetBytes($"ping {i}");
            await stream.WriteAsync(message, Timeout);
            await stream.FlushAsync(Timeout);
            var answer = new byte[message.Length];
            await stream.ReadExactlyAsync(answer, Timeout);
            Assert.That(Encoding.UTF8.GetString(answer), Is.EqualTo($"ping {i}"));
        }

        await control.HeartbeatAsync(Timeout);
        Assert.That(agentSide.Heartbeats, Is.EqualTo(1));
        await agentSide.DisposeAsync();
    }

    private static bool Contains(byte[] haystack, byte[] needle) =>
        Enumerable.Range(0, Math.Max(0, haystack.Length - needle.Length + 1)).Any(i => haystack.AsSpan(i, needle.Length).SequenceEqual(needle));

    private sealed class NoInbound : IDaemonCallbacks
    {
        public Task<bool> ConnectInboundAsync(ulong channelId, int targetPort, string remote, CancellationToken cancellationToken) => Task.FromResult(false);
    }

    /// <summary>An agent whose "dial" echoes what the daemon sends on the new channel.</summary>
    private sealed class EchoAgent : IAgentControl, IAsyncDisposable
    {
        private readonly OwnedTasks echoes = new(_ => { });

        public TunnelConnection? Tunnel { get; set; }

        public int Heartbeats { get; private set; }

        public Task HeartbeatAsync(CancellationToken cancellationToken)
        {
            Heartbeats++;
            return Task.CompletedTask;
        }

        public Task<ulong> DialAsync(string host, int port, CancellationToken cancellationToken)
        {
            var channel = Tunnel!.Multiplexer.CreateChannel();
            echoes.Start("echo", async ct =>
            {
                await using var stream = channel.AsStream();
                var buffer = new byte[256];
                int read;
                while ((read = await stream.ReadAsync(buffer, ct)) > 0)
                {
                    await stream.WriteAsync(buffer.AsMemory(0, read), ct);
                    await stream.FlushAsync(ct);
                }
            });
            return Task.FromResult(channel.QualifiedId.Id);
        }

        public Task<bool> WaitForRouteAsync(string address, int port, bool toAgent, int timeoutMilliseconds, CancellationToken cancellationToken) => Task.FromResult(false);

        public ValueTask DisposeAsync() => echoes.DisposeAsync();
    }

    /// <summary>Records everything written by the wrapped stream's owner.</summary>
    private sealed class RecordingStream(Stream inner, Stream record) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count)
        {
            record.Write(buffer, offset, count);
            inner.Write(buffer, offset, count);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            record.Write(buffer.Span);
            await inner.WriteAsync(buffer, cancellationToken);
        }
    }
}
