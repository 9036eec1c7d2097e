using System.Buffers;
using System.Globalization;
using System.Text;

namespace DevSpaces.Agent;

/// <summary>
/// Follows one HTTP/1.x message body whose end the message itself tells (a <c>Content-Length</c>, or chunked up to the
/// end of its trailers), passing its bytes on as they come.
/// </summary>
public sealed class BodyFraming
{
    private const int MaxLine = HttpHeads.MaxHead;

    private readonly List<byte> line = [];
    private Part part;
    private long remaining;

    private BodyFraming(Part part, long remaining)
    {
        this.part = part;
        this.remaining = remaining;
    }

    private enum Part
    {
        Sized,
        ChunkSize,
        ChunkData,
        ChunkDataEnd,
        Trailers,
        Ended,
        Malformed,
    }

    /// <summary>True once the body's last byte was passed on.</summary>
    public bool Ended => part == Part.Ended;

    /// <summary>True when a chunk size could not be read: the rest of the connection cannot be followed.</summary>
    public bool Malformed => part == Part.Malformed;

    public static BodyFraming Sized(long length) => new(length > 0 ? Part.Sized : Part.Ended, length);

    public static BodyFraming Chunked() => new(Part.ChunkSize, 0);

    /// <summary>
    /// Passes on to <paramref name="output"/> (when given) the body's bytes at the start of <paramref name="input"/> and
    /// returns how many they are: all of it, or the part up to the body's end.
    /// </summary>
    public int Feed(ReadOnlySpan<byte> input, IBufferWriter<byte>? output)
    {
        var taken = 0;
        while (taken < input.Length && part is not (Part.Ended or Part.Malformed))
        {
            var rest = input[taken..];
            if (part is Part.Sized or Part.ChunkData)
            {
                var data = (int)Math.Min(remaining, rest.Length);
                output?.Write(rest[..data]);
                taken += data;
                remaining -= data;
                if (remaining == 0)
                {
                    part = part == Part.Sized ? Part.Ended : Part.ChunkDataEnd;
                }

                continue;
            }

            var end = rest.IndexOf((byte)'\n');
            var count = end < 0 ? rest.Length : end + 1;
            output?.Write(rest[..count]);
            if (line.Count < MaxLine)
            {
                line.AddRange(rest[..count]);
            }

            taken += count;
            if (end >= 0)
            {
                OnLine();
            }
        }

        return taken;
    }

    private void OnLine()
    {
        var text = Encoding.ASCII.GetString([.. line]).TrimEnd('\r', '\n');
        line.Clear();
        switch (part)
        {
            case Part.ChunkSize:
                var size = text.Split(';')[0].Trim();
                if (!long.TryParse(size, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var length) || length < 0)
                {
                    part = Part.Malformed;
                }
                else if (length == 0)
                {
                    part = Part.Trailers;
                }
                else
                {
                    remaining = length;
                    part = Part.ChunkData;
                }

                break;
            case Part.ChunkDataEnd:
                part = Part.ChunkSize;
                break;
            case Part.Trailers:
                if (text.Length == 0)
                {
                    part = Part.Ended;
                }

                break;
        }
    }
}
