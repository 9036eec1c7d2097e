using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Text;
using DevSpaces.Core.Sync;
using DevSpaces.Helper.Protocol;
using DevSpaces.Tests.Support;

namespace DevSpaces.Tests.Sync;

/// <summary>The helper's exec: a program's standard streams carried as frames, byte for byte, and its exit code.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class HelperExecTests
{
    [Test]
    public async Task Sixteen_Megabytes_Of_Random_Bytes_Come_Back_Through_Cat_In_Order_And_The_Exit_Code_Is_Zero()
    {
        await using var helper = new InProcessHelper();
        var client = await helper.ConnectAsync();
        var payload = RandomNumberGenerator.GetBytes(16 * 1024 * 1024);
        using var output = new MemoryStream();
        using var error = new MemoryStream();

        var code = await client.ExecAsync(new ExecRequest(["cat"], "", []), new MemoryStream(payload), output, error, SyncTrees.Timeout);

        Assert.That(code, Is.Zero);
        Assert.That(output.Length, Is.EqualTo(payload.Length));
        Assert.That(SHA256.HashData(output.ToArray()), Is.EqualTo(SHA256.HashData(payload)), "every byte, in order");
        Assert.That(error.Length, Is.Zero);
    }

    [Test]
    public async Task The_Exit_Code_Output_And_Error_Come_Back_Apart_With_The_Working_Directory_And_Environment_Given()
    {
        await using var helper = new InProcessHelper();
        var client = await helper.ConnectAsync();
        using var output = new MemoryStream();
        using var error = new MemoryStream();

        var code = await client.ExecAsync(
            new ExecRequest(["sh", "-c", "pwd; printf '%s' \"$GREETING\"; echo oops >&2; exit 7"], helper.Container.Path, ["GREETING=grüß\tdich"]),
            Stream.Null, output, error, SyncTrees.Timeout);

        Assert.That(code, Is.EqualTo(7));
        Assert.That(Encoding.UTF8.GetString(output.ToArray()), Is.EqualTo($"{helper.Container.Path}\ngrüß\tdich"));
        Assert.That(Encoding.UTF8.GetString(error.ToArray()), Is.EqualTo("oops\n"));
    }

    [Test]
    public async Task A_Program_Killed_By_A_Signal_Reports_128_Plus_The_Signal()
    {
        await using var helper = new InProcessHelper();
        var client = await helper.ConnectAsync();
        var code = await client.ExecAsync(new ExecRequest(["sh", "-c", "kill -9 $$"], "", []), Stream.Null, Stream.Null, Stream.Null, SyncTrees.Timeout);
        Assert.That(code, Is.EqualTo(128 + 9));
    }

    [Test]
    public async Task A_Program_The_Container_Lacks_Is_Refused_With_Its_Name()
    {
        await using var helper = new InProcessHelper();
        var client = await helper.ConnectAsync();
        var error = Assert.ThrowsAsync<HelperException>(() => client.ExecAsync(new ExecRequest(["/no/such/debugger"], "", []), Stream.Null, Stream.Null, Stream.Null, SyncTrees.Timeout));
        Assert.That(error!.Message, Does.Contain("could not start /no/such/debugger").And.Contain("No such file"));
    }

    [Test]
    public async Task Each_Reply_Reaches_The_Client_Before_The_Next_Request_Is_Written()
    {
        // A request/response exchange (as a debug adapter has): the program answers each line as it comes, so the
        // bridge must deliver every chunk at once in both directions, not when a buffer fills or the input ends.
        await using var helper = new InProcessHelper();
        var client = await helper.ConnectAsync();
        var input = new Pipe();
        var output = new Pipe();
        var running = client.ExecAsync(new ExecRequest(["sh", "-c", "while read -r line; do echo \"re: $line\"; done; exit 3"], "", []), input.Reader.AsStream(), output.Writer.AsStream(), Stream.Null, SyncTrees.Timeout);
        using var replies = new StreamReader(output.Reader.AsStream());
        for (var i = 0; i < 20; i++)
        {
            await input.Writer.WriteAsync(Encoding.UTF8.GetBytes($"request {i}\n"));
            Assert.That(await replies.ReadLineAsync().WaitAsync(SyncTrees.Timeout), Is.EqualTo($"re: request {i}"));
        }

        await input.Writer.CompleteAsync();
        Assert.That(await running, Is.EqualTo(3), "the end of the input reaches the program, which then exits");
    }

    [Test]
    public async Task A_Dropped_Connection_Stops_The_Program()
    {
        await using var helper = new InProcessHelper();
        var client = await helper.ConnectAsync();
        var input = new Pipe();
        var running = client.ExecAsync(new ExecRequest(["cat"], "", []), input.Reader.AsStream(), Stream.Null, Stream.Null, CancellationToken.None);
        await helper.Log.WaitForAsync(l => l.Contains("exec: started cat"), TimeSpan.FromSeconds(30), "cat to start");

        await client.DisposeAsync();

        await helper.Log.WaitForAsync(l => l.Contains("ended; stopping it"), TimeSpan.FromSeconds(30), "the helper to stop cat when its connection ends");
        Assert.That(async () => await running, Throws.InstanceOf<Exception>(), "the local side sees the connection end");
    }
}
