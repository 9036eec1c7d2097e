using System.Buffers;
using DevSpaces.Core.PortForwarding;

namespace DevSpaces.Core.Connect;

/// <summary>
/// A <see cref="Stream"/> over one port-forward connection, so the tunnel's multiplexer can run on it. Reads are
/// buffered because the multiplexer reads small frame headers and the WebSocket delivers large messages.
/// </summary>
public sealed class PodPortStream(IPodChannel channel) : Stream
{
    private readonly byte[] readBuffer = new byte[64 * 1024];
    private readonly SemaphoreSlim writeGate = new(1, 1);
    private int readStart;
    private int readEnd;
    private int disposed;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (readStart == readEnd)
        {
            readStart = 0;
            readEnd = await channel.ReadAsync(readBuffer, cancellationToken).ConfigureAwait(false);
            if (readEnd == 0)
            {
                return 0;
            }
        }

        var count = Math.Min(buffer.Length, readEnd - readStart);
        readBuffer.AsMemory(readStart, count).CopyTo(buffer);
        readStart += count;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // The channel wants free bytes in front of the data for its framing.
        var frame = ArrayPool<byte>.Shared.Rent(buffer.Length + channel.Headroom);
        await writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            buffer.CopyTo(frame.AsMemory(channel.Headroom));
            await channel.WriteAsync(frame, buffer.Length, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            writeGate.Release();
            ArrayPool<byte>.Shared.Return(frame);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0)
        {
            await channel.DisposeAsync().ConfigureAwait(false);
        }

        GC.SuppressFinalize(this);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref disposed, 1) == 0)
        {
            channel.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        base.Dispose(disposing);
    }
}
