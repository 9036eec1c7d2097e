using System.Net.Sockets;

namespace DevSpaces.Agent;

/// <summary>
/// The tunnel's socket, acknowledging every read at once (Linux <c>TCP_QUICKACK</c>, re-armed after each read because
/// the kernel drops it again). The port-forward reaches the agent through a relay that does not disable Nagle's
/// algorithm (dockershim's socat, for one): when the daemon sends two tunnel frames back to back, such as accepting a
/// channel and then its first bytes, the relay holds the second until the first is acknowledged, and a long-lived
/// connection's delayed ACK made that ~40 ms for every new connection carried by the tunnel.
/// </summary>
public sealed class QuickAckStream(Socket socket) : Stream
{
    private const int IpProtoTcp = 6;
    private const int TcpQuickAck = 12;
    private static readonly byte[] On = BitConverter.GetBytes(1);

    private readonly NetworkStream inner = new(socket, ownsSocket: false);
    private bool quickAck = OperatingSystem.IsLinux();

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        AcknowledgeNow();
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = inner.Read(buffer, offset, count);
        AcknowledgeNow();
        return read;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private void AcknowledgeNow()
    {
        if (!quickAck)
        {
            return;
        }

        try
        {
            socket.SetRawSocketOption(IpProtoTcp, TcpQuickAck, On);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or PlatformNotSupportedException)
        {
            // Closed meanwhile, or a kernel without the option: acknowledgements stay as the kernel decides.
            quickAck = false;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
