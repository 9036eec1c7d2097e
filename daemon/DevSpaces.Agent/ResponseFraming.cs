using System.Globalization;
using System.Text;

namespace DevSpaces.Agent;

/// <summary>
/// Follows the HTTP/1.x answers a server sends on one connection, only watching them, to tell when every request
/// passed on so far has had its whole answer: only then is the connection idle, and may its client's next request go
/// to another server. An answer that ends with the connection (neither sized nor chunked, or one that announces
/// <c>Connection: close</c>), a switch of protocols, or anything that is not an HTTP/1.x answer means the connection is
/// never idle again.
/// </summary>
public sealed class ResponseFraming
{
    private readonly Queue<string> asked = new();
    private readonly List<byte> head = [];
    private BodyFraming? body;
    private bool ends;

    /// <summary>True when every request passed on has had its whole answer and the connection may carry another one.</summary>
    public bool Idle => Between && asked.Count == 0;

    /// <summary>
    /// True when the requests waiting for an answer may be sent again elsewhere: not a byte of an answer to them arrived,
    /// and each is idempotent (RFC 9110, 9.2.2), so a server that got it and vanished before answering is no reason to
    /// lose it.
    /// </summary>
    public bool Resendable => Between && asked.All(m => m is "GET" or "HEAD" or "OPTIONS" or "TRACE" or "PUT" or "DELETE");

    private bool Between => !ends && body is null && head.Count == 0;

    /// <summary>A request with <paramref name="method"/> was passed on to the server: one more answer is due.</summary>
    public void Asked(string method) => asked.Enqueue(method);

    public void Feed(ReadOnlySpan<byte> input)
    {
        while (!input.IsEmpty && !ends)
        {
            if (body != null)
            {
                input = input[body.Feed(input, null)..];
                if (body.Malformed)
                {
                    ends = true;
                }
                else if (body.Ended)
                {
                    body = null;
                }

                continue;
            }

            var end = input.IndexOf((byte)'\n');
            var line = end < 0 ? input : input[..(end + 1)];
            head.AddRange(line);
            input = input[line.Length..];
            if (head.Count > HttpHeads.MaxHead)
            {
                ends = true;
            }
            else if (HttpHeads.Ended(head))
            {
                OnHead();
            }
        }
    }

    private void OnHead()
    {
        var lines = Encoding.Latin1.GetString([.. head]).Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
        head.Clear();
        var status = lines.Count > 0 ? lines[0].Split(' ') : [];
        if (status.Length < 2 || !status[0].StartsWith("HTTP/1.", StringComparison.Ordinal) || !int.TryParse(status[1], NumberStyles.None, CultureInfo.InvariantCulture, out var code))
        {
            ends = true;
            return;
        }

        // An interim answer (100 Continue, 103 Early Hints) is followed by the final one; 101 switches protocols.
        if (code is >= 100 and < 200)
        {
            ends = code == 101;
            return;
        }

        if (!asked.TryDequeue(out var method))
        {
            ends = true; // an answer nobody asked for
            return;
        }

        var fields = lines.Skip(1).ToList();
        var connection = string.Join(",", fields.Where(f => HttpHeads.IsField(f, "Connection")).Select(HttpHeads.Value));
        var encoding = fields.LastOrDefault(f => HttpHeads.IsField(f, "Transfer-Encoding")) is { } te ? HttpHeads.Value(te) : null;
        var length = fields.LastOrDefault(f => HttpHeads.IsField(f, "Content-Length")) is { } cl
            && long.TryParse(HttpHeads.Value(cl), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : (long?)null;
        ends = HttpHeads.Lists(connection, "close") || (status[0] == "HTTP/1.0" && !HttpHeads.Lists(connection, "keep-alive"));
        if (method == "HEAD" || code is 204 or 304)
        {
            return;
        }

        if (method == "CONNECT")
        {
            ends = true;
        }
        else if (encoding != null && HttpHeads.Chunked(encoding))
        {
            body = BodyFraming.Chunked();
        }
        else if (length is { } sized)
        {
            body = sized > 0 ? BodyFraming.Sized(sized) : null;
        }
        else
        {
            ends = true; // its body ends with the connection
        }
    }
}
