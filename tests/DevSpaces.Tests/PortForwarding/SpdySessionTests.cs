using DevSpaces.Core.PortForwarding;
using DevSpaces.Core.PortForwarding.Spdy;

namespace DevSpaces.Tests.PortForwarding;

/// <summary>
/// The connections of one SPDY session share one byte stream: a frame cut off by a cancelled write would leave every
/// other connection reading garbage, so such a write ends the session instead.
/// </summary>
public class SpdySessionTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Test]
    public async Task A_Write_Cancelled_After_Part_Of_Its_Frame_Went_Out_Ends_The_Session_And_Its_Connections()
    {
        var transport = new HeldTransport();
        await using var session = SpdySession.Over(transport);
        var bystander = await session.OpenAsync(80, CancellationToken.None);
        var writer = await session.OpenAsync(80, CancellationToken.None);

        transport.HoldWrites();
        using var cancel = new CancellationTokenSource();
        var write = writer.WriteAsync(Frame(writer, 1000), 1000, cancel.Token).AsTask();
        await transport.WriteHeld.Task.WaitAsync(Timeout);
        await cancel.CancelAsync();

        Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), async () => await write);
        Assert.That(session.IsOpen, Is.False, "no connection may be opened on a stream with half a frame in it");
        Assert.That(await bystander.ReadAsync(new byte[16], new CancellationTokenSource(Timeout).Token), Is.Zero, "the other connection ended");
        Assert.ThrowsAsync<IOException>(() => session.OpenAsync(80, CancellationToken.None), "the next connection goes to a new session");
    }

    [Test]
    public async Task A_Write_Cancelled_While_Waiting_For_Its_Turn_Leaves_The_Session_Open_And_The_Frame_Before_It_Whole()
    {
        var transport = new HeldTransport();
        await using var session = SpdySession.Over(transport);
        var first = await session.OpenAsync(80, CancellationToken.None);
        var second = await session.OpenAsync(80, CancellationToken.None);
        var before = transport.Written;

        transport.HoldWrites();
        var sending = first.WriteAsync(Frame(first, 100), 100, CancellationToken.None).AsTask();
        await transport.WriteHeld.Task.WaitAsync(Timeout);
        using var cancel = new CancellationTokenSource();
        var waiting = second.WriteAsync(Frame(second, 100), 100, cancel.Token).AsTask();
        await cancel.CancelAsync();
        Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), async () => await waiting);

        transport.Release();
        await sending.WaitAsync(Timeout);
        Assert.That(session.IsOpen, Is.True);
        Assert.That(transport.Written - before, Is.EqualTo(SpdyFrames.HeaderLength + 100), "the first frame, whole, and nothing of the cancelled one");
    }

    private static byte[] Frame(IPodChannel channel, int count) => new byte[channel.Headroom + count];

    /// <summary>
    /// An upgraded connection whose peer sends nothing; once held, a write sends the first half of its bytes and waits
    /// (as a socket does when the peer stops reading), ending early when cancelled.
    /// </summary>
    private sealed class HeldTransport : Stream
    {
        private readonly TaskCompletionSource closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private TaskCompletionSource release = Released();
        private long written;

        public TaskCompletionSource WriteHeld { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public long Written => Interlocked.Read(ref written);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public void HoldWrites()
        {
            release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            WriteHeld = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        public void Release() => release.TrySetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await closed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            ObjectDisposedException.ThrowIf(closed.Task.IsCompleted, this);
            var half = buffer.Length / 2;
            Interlocked.Add(ref written, half);
            WriteHeld.TrySetResult();
            await release.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            Interlocked.Add(ref written, buffer.Length - half);
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            closed.TrySetResult();
            base.Dispose(disposing);
        }

        private static TaskCompletionSource Released()
        {
            var released = new TaskCompletionSource();
            released.SetResult();
            return released;
        }
    }
}
