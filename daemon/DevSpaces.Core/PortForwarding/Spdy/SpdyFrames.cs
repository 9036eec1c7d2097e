using System.Buffers.Binary;
using System.Text;

namespace DevSpaces.Core.PortForwarding.Spdy;

/// <summary>
/// The few SPDY/3.1 frames a port-forward client sends. Every frame starts with 8 bytes: a control frame with
/// the control bit, version 3 and its type, then flags and a 24-bit length; a data frame with its stream id, then
/// flags and length. Header blocks belong to one zlib stream per direction; ours is written uncompressed (stored
/// deflate blocks after one zlib header, each block followed by a sync flush), which any inflater reads, with or
/// without the SPDY dictionary.
/// </summary>
public static class SpdyFrames
{
    public const int HeaderLength = 8;
    public const byte FlagFin = 0x01;
    public const ushort SynStream = 1;
    public const ushort SynReply = 2;
    public const ushort RstStream = 3;
    public const ushort Ping = 6;
    public const ushort GoAway = 7;

    /// <summary>RST_STREAM status: the sender no longer wants the stream.</summary>
    public const int StatusCancel = 5;

    private const int Version = 3;

    /// <summary>Writes a data frame's header in front of <paramref name="count"/> bytes at <c>frame[8..]</c>.</summary>
    public static void WriteDataHeader(Span<byte> frame, uint streamId, int count, byte flags)
    {
        BinaryPrimitives.WriteUInt32BigEndian(frame, streamId & 0x7fffffff);
        BinaryPrimitives.WriteUInt32BigEndian(frame[4..], ((uint)flags << 24) | (uint)count);
    }

    /// <summary>A SYN_STREAM opening <paramref name="streamId"/> with the given headers (names lower case).</summary>
    /// <param name="startsHeaderStream">True for the first header block of the connection, which carries the zlib header.</param>
    public static byte[] SynStreamFrame(uint streamId, IReadOnlyList<(string Name, string Value)> headers, bool startsHeaderStream)
    {
        var block = HeaderBlock(headers);
        var zlibHeader = startsHeaderStream ? 2 : 0;
        var stored = 5 + block.Length + 5;
        var frame = new byte[HeaderLength + 10 + zlibHeader + stored];
        WriteControlHeader(frame, SynStream, 0, frame.Length - HeaderLength);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(8), streamId & 0x7fffffff);
        // Associated stream 0, priority 0, slot 0.
        var at = HeaderLength + 10;
        if (startsHeaderStream)
        {
            frame[at++] = 0x78; // deflate, 32 KiB window
            frame[at++] = 0x01; // no preset dictionary; (0x78 * 256 + 0x01) % 31 == 0
        }

        // One stored block, not the last: 3 header bits (BFINAL 0, BTYPE 00) padded to a byte, LEN, ~LEN.
        frame[at++] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(frame.AsSpan(at), (ushort)block.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(frame.AsSpan(at + 2), (ushort)~block.Length);
        block.CopyTo(frame.AsSpan(at + 4));
        // An empty stored block (a sync flush): inflaters hand out a block's data only once the next block begins.
        at += 4 + block.Length;
        frame[at] = 0;
        frame[at + 1] = 0;
        frame[at + 2] = 0;
        frame[at + 3] = 0xff;
        frame[at + 4] = 0xff;
        return frame;
    }

    public static byte[] RstStreamFrame(uint streamId, int status)
    {
        var frame = new byte[HeaderLength + 8];
        WriteControlHeader(frame, RstStream, 0, 8);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(8), streamId & 0x7fffffff);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(12), (uint)status);
        return frame;
    }

    public static byte[] PingFrame(uint id)
    {
        var frame = new byte[HeaderLength + 4];
        WriteControlHeader(frame, Ping, 0, 4);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(8), id);
        return frame;
    }

    /// <summary>The uncompressed name/value block: a count, then each name and value with its 32-bit length.</summary>
    public static byte[] HeaderBlock(IReadOnlyList<(string Name, string Value)> headers)
    {
        var length = 4 + headers.Sum(h => 8 + Encoding.UTF8.GetByteCount(h.Name) + Encoding.UTF8.GetByteCount(h.Value));
        if (length > ushort.MaxValue)
        {
            throw new ArgumentException("SPDY headers larger than one stored block.", nameof(headers));
        }

        var block = new byte[length];
        BinaryPrimitives.WriteInt32BigEndian(block, headers.Count);
        var at = 4;
        foreach (var (name, value) in headers)
        {
            foreach (var text in new[] { name, value })
            {
                var n = Encoding.UTF8.GetBytes(text, block.AsSpan(at + 4));
                BinaryPrimitives.WriteInt32BigEndian(block.AsSpan(at), n);
                at += 4 + n;
            }
        }

        return block;
    }

    /// <summary>What a frame header says.</summary>
    public readonly record struct Header(bool Control, ushort Type, uint StreamId, byte Flags, int Length)
    {
        public bool Fin => (Flags & FlagFin) != 0;
    }

    public static Header ReadHeader(ReadOnlySpan<byte> header)
    {
        var flagsAndLength = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
        var flags = (byte)(flagsAndLength >> 24);
        var length = (int)(flagsAndLength & 0xffffff);
        if ((header[0] & 0x80) != 0)
        {
            var version = BinaryPrimitives.ReadUInt16BigEndian(header) & 0x7fff;
            if (version != Version)
            {
                throw new InvalidDataException($"SPDY version {version} where 3 was expected.");
            }

            return new Header(true, BinaryPrimitives.ReadUInt16BigEndian(header[2..]), 0, flags, length);
        }

        return new Header(false, 0, BinaryPrimitives.ReadUInt32BigEndian(header) & 0x7fffffff, flags, length);
    }

    private static void WriteControlHeader(Span<byte> frame, ushort type, byte flags, int length)
    {
        BinaryPrimitives.WriteUInt16BigEndian(frame, 0x8000 | Version);
        BinaryPrimitives.WriteUInt16BigEndian(frame[2..], type);
        BinaryPrimitives.WriteUInt32BigEndian(frame[4..], ((uint)flags << 24) | (uint)length);
    }
}
