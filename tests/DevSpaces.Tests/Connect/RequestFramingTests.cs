using System.Buffers;
using System.Text;
using DevSpaces.Agent;

namespace DevSpaces.Tests.Connect;

/// <summary>
/// How the agent follows the HTTP requests on a carried connection: it passes every byte on unchanged, and while
/// draining it asks for the connection's end on the next request that starts, never inside a body.
/// </summary>
public sealed class RequestFramingTests
{
    private const string Chunked = "POST /upload HTTP/1.1\r\nHost: api\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "5;ext=1\r\nConnection: keep-alive\r\n0\r\nX-Trailer: 1\r\n\r\n";

    private const string WithBody = "PUT /item HTTP/1.1\r\nHost: api\r\nContent-Length: 26\r\n\r\nConnection: keep-alive\r\n\r\n";

    private const string Plain = "GET /greeting HTTP/1.1\r\nHost: api\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\n\r\n";

    /// <summary>Feeds <paramref name="text"/> in pieces of <paramref name="piece"/> bytes; draining from the byte at <paramref name="drainAt"/> on.</summary>
    private static (string Output, RequestFraming Framing) Feed(string text, int piece, int drainAt = int.MaxValue)
    {
        var framing = new RequestFraming();
        var output = new ArrayBufferWriter<byte>();
        var bytes = Encoding.Latin1.GetBytes(text);
        for (var at = 0; at < bytes.Length;)
        {
            // A piece never spans the moment draining starts.
            var end = Math.Min(bytes.Length, at < drainAt ? Math.Min(at + piece, drainAt) : at + piece);
            framing.Feed(bytes.AsSpan(at, end - at), at >= drainAt, output);
            at = end;
        }

        framing.Flush(output);
        return (Encoding.Latin1.GetString(output.WrittenSpan), framing);
    }

    [TestCase(1)]
    [TestCase(7)]
    [TestCase(4096)]
    public void Requests_With_Chunked_And_Sized_Bodies_Pass_Unchanged_In_Any_Pieces(int piece)
    {
        var text = Chunked + WithBody + Plain + Chunked;
        var (output, framing) = Feed(text, piece);
        Assert.That(output, Is.EqualTo(text));
        Assert.That(framing.Closing, Is.False);
        Assert.That(framing.BetweenRequests, Is.True, "the last chunked body's trailers were followed to their end");
    }

    [TestCase(1)]
    [TestCase(4096)]
    public void Draining_Rewrites_Only_The_Head_Of_The_Next_Request(int piece)
    {
        // Draining starts inside the first request's body: that request and its body stay as they are.
        var text = WithBody + Plain;
        var (output, framing) = Feed(text, piece, drainAt: WithBody.Length - 5);
        Assert.That(output, Is.EqualTo(WithBody + "GET /greeting HTTP/1.1\r\nHost: api\r\nConnection: close\r\n\r\n"));
        Assert.That(framing.Closing, Is.True);
    }

    [Test]
    public void Draining_Passes_A_Chunked_Body_That_Looks_Like_A_Header_Unchanged()
    {
        var (output, _) = Feed(Chunked, 3, drainAt: Chunked.IndexOf("5;", StringComparison.Ordinal));
        Assert.That(output, Is.EqualTo(Chunked));
    }

    [Test]
    public void A_Request_That_Asks_For_Close_Itself_Is_Left_As_It_Is()
    {
        const string text = "GET / HTTP/1.0\r\nConnection: close\r\n\r\n";
        var (output, framing) = Feed(text, 4096, drainAt: 0);
        Assert.That(output, Is.EqualTo(text));
        Assert.That(framing.Closing, Is.True);
    }

    [TestCase("\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u00fc\u0003\u0003")]
    [TestCase("SSH-2.0-OpenSSH_9.6\r\n\r\n")]
    [TestCase("*1\r\n$4\r\nPING\r\n")]
    public void Other_Protocols_Pass_Through_Unchanged_While_Draining(string text)
    {
        var (output, _) = Feed(text + Plain, 2, drainAt: 0);
        Assert.That(output, Is.EqualTo(text + Plain));
    }

    [Test]
    public void After_An_Upgrade_The_Connection_Passes_Through_Unchanged()
    {
        const string upgrade = "GET /ws HTTP/1.1\r\nHost: api\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n";
        var (output, framing) = Feed(upgrade + Plain, 5, drainAt: 0);
        Assert.That(output, Is.EqualTo(upgrade + Plain));
        Assert.That(framing.Closing, Is.False);
    }
}
