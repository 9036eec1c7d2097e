using System.Diagnostics;
using System.Text;

namespace DevSpaces.ClusterTests.Debug;

/// <summary>The JDK's <c>jdb</c> attached to a JDWP port, driven through its standard input; its output is kept whole, as its prompts end no line.</summary>
internal sealed class JdbSession : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly Lock gate = new();
    private readonly Task reading;

    private JdbSession(Process process)
    {
        this.process = process;
        reading = Task.WhenAll(Read(process.StandardOutput), Read(process.StandardError));

        async Task Read(StreamReader from)
        {
            var buffer = new char[4096];
            int read;
            while ((read = await from.ReadAsync(buffer)) > 0)
            {
                lock (gate)
                {
                    output.Append(buffer, 0, read);
                }
            }
        }
    }

    public string Output
    {
        get
        {
            lock (gate)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>
    /// Attaches, trying again while the JVM refuses: after a debugger leaves, the JDWP agent takes a moment before it
    /// listens again. Returns once jdb is initialized; <paramref name="at"/> is where its output then ends.
    /// </summary>
    public static async Task<(JdbSession Jdb, int At)> AttachAsync(int port, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var jdb = Start(port);
            try
            {
                return (jdb, await jdb.WaitForAsync("Initializing jdb", 0, TimeSpan.FromSeconds(20)));
            }
            catch (TimeoutException) when (DateTimeOffset.UtcNow < deadline && jdb.process.HasExited)
            {
                jdb.Dispose();
                await Task.Delay(300);
            }
            catch
            {
                jdb.Dispose();
                throw;
            }
        }
    }

    private static JdbSession Start(int port)
    {
        var start = new ProcessStartInfo("jdb", ["-attach", $"127.0.0.1:{port}"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        return new JdbSession(Process.Start(start)!);
    }

    public void Send(string command)
    {
        process.StandardInput.WriteLine(command);
        process.StandardInput.Flush();
    }

    /// <summary>Waits until the output after <paramref name="from"/> contains <paramref name="text"/>; returns where it ends.</summary>
    public async Task<int> WaitForAsync(string text, int from, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var now = Output;
            var at = now.IndexOf(text, Math.Min(from, now.Length), StringComparison.Ordinal);
            if (at >= 0)
            {
                return at + text.Length;
            }

            if (DateTimeOffset.UtcNow > deadline || process.HasExited)
            {
                throw new TimeoutException($"jdb did not print '{text}' within {timeout.TotalSeconds:0} s; its output:\n{now}");
            }

            await Task.Delay(100);
        }
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit();
        }

        reading.Wait(TimeSpan.FromSeconds(5));
        process.Dispose();
    }
}
