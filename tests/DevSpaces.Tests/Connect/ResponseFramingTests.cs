using System.Text;
using DevSpaces.Agent;

namespace DevSpaces.Tests.Connect;

/// <summary>
/// How the agent tells that a carried connection is idle: every request passed on has had its whole answer, whatever
/// pieces the answers arrive in.
/// </summary>
public sealed class ResponseFramingTests
{
    private static ResponseFraming Follow(IEnumerable<string> methods, string answers, int piece)
    {
        var framing = new ResponseFraming();
        foreach (var method in methods)
        {
            framing.Asked(method);
        }

        var bytes = Encoding.Latin1.GetBytes(answers);
        for (var at = 0; at < bytes.Length; at += piece)
        {
            framing.Feed(bytes.AsSpan(at, Math.Min(piece, bytes.Length - at)));
        }

        return framing;
    }

    private const string Sized = "HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\nHTTP/1.1 200";
    private const string Chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;x=1\r\nhello\r\n0\r\nX-Trailer: 1\r\n\r\n";
    private const string HeadAnswer = "HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n";
    private const string NoContent = "HTTP/1.1 204 No Content\r\n\r\n";
    private const string Continue = "HTTP/1.1 100 Continue\r\n\r\n";

    [TestCase(1)]
    [TestCase(5)]
    [TestCase(4096)]
    public void After_Sized_Chunked_Head_And_No_Content_Answers_In_Any_Pieces_The_Connection_Is_Idle(int piece)
    {
        var framing = Follow(["GET", "POST", "HEAD", "DELETE", "PUT"], Sized + Chunked + HeadAnswer + NoContent + Continue + Sized, piece);
        Assert.That(framing.Idle, Is.True);
    }

    [TestCase(Sized, 1, "a request without its answer yet")]
    [TestCase(Sized, 0, "an answer in the middle of its body")]
    [TestCase(Chunked, 0, "a chunked answer before its trailers end")]
    [TestCase(Continue, 0, "an interim answer only")]
    public void While_An_Answer_Is_Due_The_Connection_Is_Not_Idle(string answer, int extraRequests, string what)
    {
        var methods = Enumerable.Repeat("GET", 1 + extraRequests);
        var framing = Follow(methods, answer == Continue ? answer : answer[..^3], 4096);
        Assert.That(framing.Idle, Is.False, what);
    }

    [TestCase("HTTP/1.1 200 OK\r\n\r\nuntil the end", "an answer whose body ends with the connection")]
    [TestCase("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok", "an answer announcing the end")]
    [TestCase("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok", "an HTTP/1.0 answer without keep-alive")]
    [TestCase("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n", "a switch of protocols")]
    [TestCase("SSH-2.0-OpenSSH\r\n\r\n", "something that is not HTTP")]
    [TestCase("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", "an answer nobody asked for")]
    public void After_An_Answer_The_Connection_Cannot_Outlive_It_Is_Never_Idle_Again(string answers, string what)
    {
        var framing = Follow(["GET"], answers, 4096);
        Assert.That(framing.Idle, Is.False, what);
    }
}
