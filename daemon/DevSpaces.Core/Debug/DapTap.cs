using System.Buffers;
using System.Text;
using System.Text.Json;

namespace DevSpaces.Core.Debug;

/// <summary>
/// Reads Debug Adapter Protocol messages (<c>Content-Length: N</c>, a blank line, N bytes of JSON) out of bytes that
/// pass by in pieces of any size, without changing them: what <c>devspaces exec --resume-after-attach</c> watches in
/// the exchange it carries. Bytes that are not DAP (a header without Content-Length, a message over the limit) end the
/// watching; the bytes still pass.
/// </summary>
public sealed class DapTap(Action<JsonElement> onMessage)
{
    private const int MaxHeader = 1024;
    private const int MaxMessage = 64 * 1024 * 1024;
    private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();
    private readonly ArrayBufferWriter<byte> pending = new();
    private int? bodyLength;

    /// <summary>False once the bytes were not DAP; nothing more is read.</summary>
    public bool Watching { get; private set; } = true;

    public void Feed(ReadOnlySpan<byte> bytes)
    {
        if (!Watching || bytes.IsEmpty)
        {
            return;
        }

        pending.Write(bytes);
        while (Watching && TakeMessage())
        {
        }
    }

    private bool TakeMessage()
    {
        var data = pending.WrittenSpan;
        if (bodyLength == null)
        {
            var end = data.IndexOf(HeaderEnd);
            if (end < 0)
            {
                Watching = data.Length <= MaxHeader;
                return false;
            }

            bodyLength = ContentLength(Encoding.ASCII.GetString(data[..end]));
            if (bodyLength is not (>= 0 and <= MaxMessage))
            {
                Watching = false;
                return false;
            }

            Consume(end + HeaderEnd.Length);
            data = pending.WrittenSpan;
        }

        if (data.Length < bodyLength)
        {
            return false;
        }

        try
        {
            using var message = JsonDocument.Parse(data[..bodyLength.Value].ToArray());
            onMessage(message.RootElement);
        }
        catch (JsonException)
        {
            // Not JSON: skipped, as a debug adapter would reject it.
        }

        Consume(bodyLength.Value);
        bodyLength = null;
        return true;
    }

    private static int? ContentLength(string header)
    {
        foreach (var line in header.Split("\r\n"))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line[..colon].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(line[(colon + 1)..].Trim(), System.Globalization.CultureInfo.InvariantCulture, out var length))
            {
                return length;
            }
        }

        return null;
    }

    private void Consume(int count)
    {
        var rest = pending.WrittenSpan[count..].ToArray();
        pending.Clear();
        pending.Write(rest);
    }
}
