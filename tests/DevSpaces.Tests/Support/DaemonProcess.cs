using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DevSpaces.Tests.Contract;

namespace DevSpaces.Tests.Support;

/// <summary>The built <c>devspaces</c> executable started as <c>daemon --stdio</c>, spoken to with raw Content-Length frames.</summary>
public sealed class DaemonProcess : IDisposable, IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder stderr = new();
    private readonly Lock stderrGate = new();

    private DaemonProcess(Process process)
    {
        this.process = process;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data != null)
            {
                lock (stderrGate)
                {
                    stderr.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
    }

    public Process Process => process;

    public string Stderr
    {
        get
        {
            lock (stderrGate)
            {
                return stderr.ToString();
            }
        }
    }

    /// <summary>The executable built next to this test assembly's configuration (Debug or Release).</summary>
    public static string ExecutablePath()
    {
        var configuration = new DirectoryInfo(TestContext.CurrentContext.TestDirectory).Parent!.Name;
        var root = Path.GetDirectoryName(RpcSchema.FindRepositoryFile("DevSpaces.sln"))!;
        var exe = Path.Combine(root, "daemon", "DevSpaces.Cli", "bin", configuration, "net10.0", "devspaces");
        Assert.That(File.Exists(exe), Is.True, $"{exe} is missing: build the solution first");
        return exe;
    }

    /// <summary>Starts the executable as a daemon and attaches the contract client to its stdio; stderr lines become log lines.</summary>
    public static DaemonConnection Connect(params string[] args)
    {
        var daemon = Start(args);
        var log = new CollectingLog();
        daemon.process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data != null)
            {
                log.Write(Core.Logging.LogLevel.Info, e.Data);
            }
        };
        var host = daemon.process.WaitForExitAsync().ContinueWith(_ => daemon.process.ExitCode, TaskScheduler.Default);
        return DaemonConnection.Attach(daemon.process.StandardInput.BaseStream, daemon.process.StandardOutput.BaseStream, host, log, daemon);
    }

    public static DaemonProcess Start(params string[] args)
    {
        var info = new ProcessStartInfo(ExecutablePath())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("daemon");
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return new DaemonProcess(Process.Start(info)!);
    }

    public Task SendAsync(object message)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(message);
        return SendRawAsync($"Content-Length: {body.Length}\r\n\r\n", body);
    }

    /// <summary>Writes a frame as given, right or wrong.</summary>
    public async Task SendRawAsync(string header, byte[] body)
    {
        var stdin = process.StandardInput.BaseStream;
        await stdin.WriteAsync(Encoding.ASCII.GetBytes(header));
        await stdin.WriteAsync(body);
        await stdin.FlushAsync();
    }

    /// <summary>Reads the next frame; null at the end of stdout. Anything on stdout that is not a frame fails the test.</summary>
    public async Task<JsonObject?> ReadAsync(CancellationToken cancellationToken)
    {
        var stdout = process.StandardOutput.BaseStream;
        var header = new List<byte>();
        while (!EndsWithBlankLine(header))
        {
            var buffer = new byte[1];
            if (await stdout.ReadAsync(buffer, cancellationToken) == 0)
            {
                Assert.That(header, Is.Empty, $"stdout ended inside a header: {Encoding.ASCII.GetString([.. header])}");
                return null;
            }

            header.Add(buffer[0]);
        }

        var lines = Encoding.ASCII.GetString([.. header]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var lengthLine = lines.SingleOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        Assert.That(lengthLine, Is.Not.Null, $"stdout carried something other than a frame header: {string.Join(" | ", lines)}");
        var body = new byte[int.Parse(lengthLine!["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture)];
        await stdout.ReadExactlyAsync(body, cancellationToken);
        return JsonNode.Parse(body)!.AsObject();
    }

    /// <summary>Reads frames until the response with <paramref name="id"/>.</summary>
    public async Task<JsonObject> ReadResponseAsync(int id, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var message = await ReadAsync(cts.Token);
                Assert.That(message, Is.Not.Null, $"stdout ended before the response to request {id}; stderr:\n{Stderr}");
                if (message!["id"]?.GetValue<int>() == id)
                {
                    return message;
                }
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"no response to request {id} within {timeout.TotalSeconds} s; stderr:\n{Stderr}");
            throw;
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout, string because)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"the daemon did not exit within {timeout.TotalSeconds} s after {because}; stderr:\n{Stderr}");
        }

        // Also waits until the asynchronously read stderr has reached its end.
        process.WaitForExit();
        return process.ExitCode;
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit(10_000);
        }

        process.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private static bool EndsWithBlankLine(List<byte> bytes) =>
        bytes.Count >= 4 && bytes[^4] == '\r' && bytes[^3] == '\n' && bytes[^2] == '\r' && bytes[^1] == '\n';
}
