using System.Buffers;
using System.Globalization;
using System.Text;

namespace DevSpaces.Agent;

/// <summary>
/// Follows the HTTP/1.x requests a client sends on one connection (heads, <c>Content-Length</c> and chunked bodies),
/// passing the bytes on unchanged, except that a request whose head completes while draining is passed on with
/// <c>Connection: close</c> (its <c>Connection</c> and <c>Keep-Alive</c> headers replaced). A head is held back until it
/// is complete. Anything that is not an HTTP/1.x request, a request that upgrades the connection (or CONNECT), or a
/// head over 64 KiB turns it into a plain pass-through for the rest of the connection.
/// </summary>
public sealed class RequestFraming
{
    private readonly List<byte> head = [];
    private readonly Action<string>? passedOn;
    private State state = State.Head;
    private BodyFraming? body;

    /// <param name="passedOn">Told the method of each request whose head was passed on, as it is.</param>
    public RequestFraming(Action<string>? passedOn = null) => this.passedOn = passedOn;

    private enum State
    {
        Head,
        Body,
        Opaque,
    }

    /// <summary>True once a request went on with <c>Connection: close</c> (the server closes after answering it).</summary>
    public bool Closing { get; private set; }

    /// <summary>True when the connection is between requests: nothing of a next request has arrived yet.</summary>
    public bool BetweenRequests => state == State.Head && head.Count == 0;

    /// <summary>True once the connection is passed through without being followed (not HTTP/1.x, or upgraded).</summary>
    public bool Opaque => state == State.Opaque;

    /// <summary>Passes <paramref name="input"/> on to <paramref name="output"/>, rewriting a completed head while <paramref name="draining"/>.</summary>
    public void Feed(ReadOnlySpan<byte> input, bool draining, IBufferWriter<byte> output)
    {
        while (!input.IsEmpty)
        {
            switch (state)
            {
                case State.Opaque:
                    output.Write(input);
                    return;

                case State.Head:
                {
                    var taken = TakeHead(input);
                    input = input[taken..];
                    if (state == State.Head && head.Count > HttpHeads.MaxHead)
                    {
                        ToOpaque(output);
                    }
                    else if (state == State.Head && !LooksLikeRequest())
                    {
                        ToOpaque(output);
                    }

                    break;
                }

                case State.Body:
                {
                    var taken = body!.Feed(input, output);
                    input = input[taken..];
                    if (body.Malformed)
                    {
                        state = State.Opaque;
                    }
                    else if (body.Ended)
                    {
                        (state, body) = (State.Head, null);
                    }

                    break;
                }
            }
        }

        int TakeHead(ReadOnlySpan<byte> bytes)
        {
            for (var i = 0; i < bytes.Length; i++)
            {
                var b = bytes[i];

                // Blank lines before a request are allowed (RFC 9112, 2.2) and passed on as they come.
                if (head.Count == 0 && (b == '\r' || b == '\n'))
                {
                    output.Write(bytes.Slice(i, 1));
                    continue;
                }

                head.Add(b);
                if (HttpHeads.Ended(head))
                {
                    OnHead(draining, output);
                    return i + 1;
                }
            }

            return bytes.Length;
        }
    }

    /// <summary>Passes on a head still held back (the client ended the connection in the middle of one).</summary>
    public void Flush(IBufferWriter<byte> output)
    {
        if (head.Count > 0)
        {
            output.Write([.. head]);
            head.Clear();
        }
    }

    private void ToOpaque(IBufferWriter<byte> output)
    {
        Flush(output);
        state = State.Opaque;
    }

    /// <summary>A request line starts with a method token (upper-case letters) and a space.</summary>
    private bool LooksLikeRequest()
    {
        for (var i = 0; i < head.Count; i++)
        {
            var b = head[i];
            if (b == ' ')
            {
                return i > 0;
            }

            if (b is < (byte)'A' or > (byte)'Z' || i > 20)
            {
                return false;
            }
        }

        return true;
    }

    private void OnHead(bool draining, IBufferWriter<byte> output)
    {
        var text = Encoding.Latin1.GetString([.. head]);
        head.Clear();
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var requestLine = lines[0].Split(' ');
        if (requestLine.Length != 3 || !requestLine[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
        {
            output.Write(Encoding.Latin1.GetBytes(text));
            state = State.Opaque;
            return;
        }

        long? contentLength = null;
        var chunked = false;
        var upgrade = requestLine[0] == "CONNECT";
        var fields = lines.Skip(1).Where(l => l.Length > 0).ToList();
        foreach (var field in fields)
        {
            var colon = field.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var name = field[..colon].Trim();
            var value = field[(colon + 1)..].Trim();
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var length))
            {
                contentLength = length;
            }
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                chunked = HttpHeads.Chunked(value);
            }
            else if (name.Equals("Upgrade", StringComparison.OrdinalIgnoreCase))
            {
                upgrade = true;
            }
            else if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase) && HttpHeads.Lists(value, "close"))
            {
                Closing = true;
            }
        }

        if (draining && !upgrade && !Closing)
        {
            var kept = fields.Where(f => !HttpHeads.IsField(f, "Connection") && !HttpHeads.IsField(f, "Keep-Alive"));
            text = string.Join("\r\n", [lines[0], .. kept, "Connection: close", "", ""]);
            Closing = true;
        }

        output.Write(Encoding.Latin1.GetBytes(text));
        passedOn?.Invoke(requestLine[0]);
        if (upgrade)
        {
            state = State.Opaque;
        }
        else if (chunked)
        {
            (state, body) = (State.Body, BodyFraming.Chunked());
        }
        else if (contentLength > 0)
        {
            (state, body) = (State.Body, BodyFraming.Sized(contentLength.Value));
        }
    }
}
