using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace DevSpaces.Helper.Protocol;

/// <summary>Builds a payload: integers big-endian, strings as a 4-byte length and UTF-8, booleans as one byte.</summary>
public sealed class WireWriter
{
    private readonly ArrayBufferWriter<byte> buffer = new(256);

    public ReadOnlyMemory<byte> Written => buffer.WrittenMemory;

    public WireWriter Int(int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(buffer.GetSpan(4), value);
        buffer.Advance(4);
        return this;
    }

    public WireWriter Long(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(buffer.GetSpan(8), value);
        buffer.Advance(8);
        return this;
    }

    public WireWriter Bool(bool value)
    {
        buffer.GetSpan(1)[0] = value ? (byte)1 : (byte)0;
        buffer.Advance(1);
        return this;
    }

    public WireWriter String(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        Int(length);
        Encoding.UTF8.GetBytes(value, buffer.GetSpan(length));
        buffer.Advance(length);
        return this;
    }
}
