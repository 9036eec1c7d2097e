using System.Buffers.Binary;

namespace DevSpaces.Helper.Protocol;

/// <summary>
/// Length-prefixed frames over a byte stream: a 4-byte big-endian length of what follows, the kind (1 byte), the
/// request id (4 bytes, big-endian), then the payload. Writes are buffered until <see cref="FlushAsync"/>, so a batch
/// of small frames leaves in few packets; reads are buffered too (separately: a buffer used both ways cannot switch
/// direction on a socket).
/// </summary>
public sealed class FrameStream(Stream stream) : IAsyncDisposable
{
    /// <summary>Largest payload accepted; file content travels in chunks of <see cref="DataChunkSize"/>.</summary>
    public const int MaxPayload = 4 * 1024 * 1024;

    public const int DataChunkSize = 256 * 1024;

    private const int HeaderLength = 9;
    private readonly BufferedStream output = new(stream, 64 * 1024);
    private readonly BufferedStream input = new(stream, 64 * 1024);
    private readonly byte[] header = new byte[HeaderLength];

    public Stream Inner => stream;

    public async ValueTask WriteAsync(HelperFrameKind kind, uint requestId, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        if (payload.Length > MaxPayload)
        {
            throw new ArgumentException($"A frame's payload is limited to {MaxPayload} bytes.", nameof(payload));
        }

        var head = new byte[HeaderLength];
        BinaryPrimitives.WriteUInt32BigEndian(head, (uint)(payload.Length + HeaderLength - 4));
        head[4] = (byte)kind;
        BinaryPrimitives.WriteUInt32BigEndian(head.AsSpan(5), requestId);
        await output.WriteAsync(head, cancellationToken).ConfigureAwait(false);
        if (!payload.IsEmpty)
        {
            await output.WriteAsync(payload, cancellationToken).ConfigureAwait(false);
        }
    }

    public ValueTask WriteAsync(HelperFrameKind kind, uint requestId, WireWriter payload, CancellationToken cancellationToken) =>
        WriteAsync(kind, requestId, payload.Written, cancellationToken);

    public async ValueTask FlushAsync(CancellationToken cancellationToken) => await output.FlushAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>The next frame, or null when the stream ended cleanly between frames.</summary>
    public async ValueTask<HelperFrame?> ReadAsync(CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < HeaderLength)
        {
            var n = await input.ReadAsync(header.AsMemory(read), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                if (read == 0)
                {
                    return null;
                }

                throw new EndOfStreamException("The connection ended inside a frame header.");
            }

            read += n;
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(header);
        if (length < HeaderLength - 4 || length - (HeaderLength - 4) > MaxPayload)
        {
            throw new InvalidDataException($"A frame of {length} bytes is outside the protocol's limits.");
        }

        var kind = (HelperFrameKind)header[4];
        var requestId = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(5));
        var payload = new byte[length - (HeaderLength - 4)];
        await input.ReadExactlyAsync(payload, cancellationToken).ConfigureAwait(false);
        return new HelperFrame(kind, requestId, payload);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await output.DisposeAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The peer is gone; nothing left to flush to.
        }
    }
}
