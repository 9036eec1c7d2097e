using System.Text;
using System.Text.Json;
using DevSpaces.Core.Debug;

namespace DevSpaces.Tests.Debug;

public sealed class ResumeAfterAttachTests
{
    private static byte[] Frame(string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        return [.. Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n"), .. body];
    }

    [Test]
    public void Messages_Split_At_Every_Byte_Or_Joined_Are_Read_Whole_And_In_Order()
    {
        byte[] bytes = [.. Frame("""{"seq":1,"note":"ünïcødé 🚀"}"""), .. Frame("""{"seq":2}"""), .. Frame("""{"seq":3,"big":""" + "\"" + new string('x', 100_000) + "\"}")];
        foreach (var chunk in new[] { 1, 7, 4096, bytes.Length })
        {
            var seen = new List<int>();
            var notes = new List<string>();
            var tap = new DapTap(m =>
            {
                seen.Add(m.GetProperty("seq").GetInt32());
                if (m.TryGetProperty("note", out var note))
                {
                    notes.Add(note.GetString()!);
                }
            });
            for (var i = 0; i < bytes.Length; i += chunk)
            {
                tap.Feed(bytes.AsSpan(i, Math.Min(chunk, bytes.Length - i)));
            }

            Assert.That(seen, Is.EqualTo(new[] { 1, 2, 3 }), $"chunks of {chunk}");
            Assert.That(notes, Is.EqualTo(new[] { "ünïcødé 🚀" }));
        }
    }

    [Test]
    public void Bytes_That_Are_Not_Dap_End_The_Watching()
    {
        var seen = 0;
        var tap = new DapTap(_ => seen++);
        tap.Feed(Encoding.ASCII.GetBytes(new string('x', 2000)));
        Assert.That(tap.Watching, Is.False);
        tap.Feed(Frame("{}"));
        Assert.That(seen, Is.Zero);
    }

    [Test]
    public async Task The_Attached_Pid_Is_Resumed_Once_After_A_Successful_Configuration_Done_And_The_Bytes_Pass_Unchanged()
    {
        var resumed = new List<int>();
        var watcher = new ResumeAfterAttach((pid, _) => { resumed.Add(pid); return Task.CompletedTask; }, _ => { });
        byte[] requests = [.. Frame("""{"seq":1,"type":"request","command":"initialize"}"""), .. Frame("""{"seq":2,"type":"request","command":"attach","arguments":{"processId":"42"}}"""), .. Frame("""{"seq":3,"type":"request","command":"configurationDone"}""")];
        using var input = watcher.WatchRequests(new MemoryStream(requests));
        using var copy = new MemoryStream();
        await input.CopyToAsync(copy);
        Assert.That(copy.ToArray(), Is.EqualTo(requests));

        using var output = new MemoryStream();
        var responses = watcher.WatchResponses(output);
        await responses.WriteAsync(Frame("""{"seq":1,"type":"response","command":"attach","success":true}"""));
        Assert.That(resumed, Is.Empty, "attached, but breakpoints are not set yet");
        await responses.WriteAsync(Frame("""{"seq":2,"type":"response","command":"configurationDone","success":false}"""));
        Assert.That(resumed, Is.Empty, "a failed configurationDone resumes nothing");
        await responses.WriteAsync(Frame("""{"seq":3,"type":"response","command":"configurationDone","success":true}"""));
        await responses.WriteAsync(Frame("""{"seq":4,"type":"response","command":"configurationDone","success":true}"""));
        await watcher.Completion;
        Assert.That(resumed, Is.EqualTo(new[] { 42 }));
    }

    [Test]
    public async Task A_Failed_Resume_Is_Reported_And_Does_Not_Break_The_Exchange()
    {
        var reports = new List<string>();
        var watcher = new ResumeAfterAttach((_, _) => throw new InvalidOperationException("pid 7 is gone"), reports.Add);
        using var input = watcher.WatchRequests(new MemoryStream(Frame("""{"type":"request","command":"attach","arguments":{"processId":7}}""")));
        await input.CopyToAsync(Stream.Null);
        await watcher.WatchResponses(Stream.Null).WriteAsync(Frame("""{"type":"response","command":"configurationDone","success":true}"""));
        await watcher.Completion;
        Assert.That(reports, Is.EqualTo(new[] { "could not resume .NET process 7: pid 7 is gone" }));
    }
}
