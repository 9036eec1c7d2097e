using System.Buffers.Binary;
using System.Text;

namespace DevSpaces.Helper.Protocol;

/// <summary>Reads what <see cref="WireWriter"/> wrote; a short or malformed payload is an <see cref="InvalidDataException"/>.</summary>
public sealed class WireReader(ReadOnlyMemory<byte> payload)
{
    private int position;

    public int Int() => BinaryPrimitives.ReadInt32BigEndian(Take(4));

    public long Long() => BinaryPrimitives.ReadInt64BigEndian(Take(8));

    public bool Bool() => Take(1)[0] != 0;

    public string String()
    {
        var length = Int();
        if (length < 0)
        {
            throw new InvalidDataException("A string of negative length in a frame.");
        }

        return Encoding.UTF8.GetString(Take(length));
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (payload.Length - position < count)
        {
            throw new InvalidDataException("A frame's payload is shorter than its content says.");
        }

        var span = payload.Span.Slice(position, count);
        position += count;
        return span;
    }
}
