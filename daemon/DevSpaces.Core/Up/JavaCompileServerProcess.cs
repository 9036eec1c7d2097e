using System.ComponentModel;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace DevSpaces.Core.Up;

/// <summary>
/// A warm javac: one JVM (<c>JavaCompileServer.java</c>, run by the JDK's source launcher) started in the project's
/// folder and kept for the session, so a compile pays neither the JVM's start nor javac's cold start.
/// </summary>
public sealed class JavaCompileServerProcess : IAsyncDisposable
{
    private const char Marker = '\0';
    private readonly Process process;
    private readonly SemaphoreSlim gate = new(1, 1);

    private JavaCompileServerProcess(Process process) => this.process = process;

    /// <summary>The <c>java</c> of the JDK whose <c>javac</c> is <paramref name="javac"/> (a name on PATH or a path); null when there is none.</summary>
    public static string? FindJava(string javac)
    {
        var path = javac.Contains('/', StringComparison.Ordinal)
            ? javac
            : (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Select(folder => Path.Combine(folder, javac)).FirstOrDefault(File.Exists);
        if (path == null || !File.Exists(path))
        {
            return null;
        }

        // /usr/bin/javac is often a chain of links to the JDK's bin folder, where its java is.
        var real = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);
        var java = Path.Combine(Path.GetDirectoryName(real)!, "java");
        return File.Exists(java) ? java : null;
    }

    /// <summary>
    /// Starts the server in <paramref name="folder"/> and waits until it has warmed up; then, if
    /// <paramref name="warmUp"/> is given, compiles with those arguments once (into a scratch folder) and forgets the result.
    /// </summary>
    /// <exception cref="JavaCompileServerException">It could not be started or did not get ready.</exception>
    public static async Task<JavaCompileServerProcess> StartAsync(string java, string folder, IReadOnlyList<string>? warmUp, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(java)
        {
            WorkingDirectory = folder,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardInputEncoding = new UTF8Encoding(false),
        };
        foreach (var argument in new[] { "-XX:+UseSerialGC", "-Xss4m", SourceFile() })
        {
            start.ArgumentList.Add(argument);
        }

        InheritedDescriptors.KeepFromChildren();
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new JavaCompileServerException($"'{java}' did not start");
        }
        catch (Win32Exception e)
        {
            throw new JavaCompileServerException($"'{java}' cannot be started ({e.Message})");
        }

        var server = new JavaCompileServerProcess(process);
        try
        {
            _ = DrainAsync(process.StandardError);
            var first = await process.StandardOutput.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (first != $"{Marker}ready")
            {
                throw new JavaCompileServerException(first == $"{Marker}unavailable" ? $"'{java}' has no Java compiler (a JRE, not a JDK)" : "it ended before it was ready");
            }

            if (warmUp != null)
            {
                var scratch = Directory.CreateTempSubdirectory("devspaces-javac-warm-").FullName;
                try
                {
                    await server.CompileAsync(WithOutput(warmUp, scratch), _ => { }, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    Directory.Delete(scratch, true);
                }
            }

            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs javac with <paramref name="arguments"/> (launcher options such as <c>-J…</c> are left out), its output line by line to <paramref name="line"/>.</summary>
    /// <returns>javac's exit code.</returns>
    /// <exception cref="JavaCompileServerException">The server is gone.</exception>
    public async Task<int> CompileAsync(IReadOnlyList<string> arguments, Action<string> line, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (process.HasExited)
            {
                throw new JavaCompileServerException($"it ended (exit code {process.ExitCode})");
            }

            var request = string.Join(Marker, arguments.Where(a => !a.StartsWith("-J", StringComparison.Ordinal)));
            try
            {
                await process.StandardInput.WriteLineAsync(request.AsMemory(), cancellationToken).ConfigureAwait(false);
                await process.StandardInput.FlushAsync(cancellationToken).ConfigureAwait(false);
                while (await process.StandardOutput.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } text)
                {
                    if (text.StartsWith(Marker))
                    {
                        return int.Parse(text.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture);
                    }

                    line(text);
                }
            }
            catch (IOException e)
            {
                throw new JavaCompileServerException($"the connection to it failed ({e.Message})");
            }
            catch (OperationCanceledException)
            {
                // A compile left half done would answer the next request: the server goes with it.
                Kill();
                throw;
            }

            throw new JavaCompileServerException("it ended during a compile");
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary><paramref name="arguments"/> with the class output folder (<c>-d</c>) set to <paramref name="folder"/>.</summary>
    public static IReadOnlyList<string> WithOutput(IReadOnlyList<string> arguments, string folder)
    {
        var result = arguments.ToList();
        var at = result.IndexOf("-d");
        if (at >= 0 && at + 1 < result.Count)
        {
            result[at + 1] = folder;
        }
        else
        {
            result.InsertRange(0, ["-d", folder]);
        }

        return result;
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        process.Dispose();
        gate.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Kill()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }

    /// <summary>The server's source, written once per content into the temporary folder (the source launcher compiles it when it starts).</summary>
    private static string SourceFile()
    {
        using var stream = typeof(JavaCompileServerProcess).Assembly.GetManifestResourceStream("DevSpaces.Core.Up.JavaCompileServer.java")
            ?? throw new JavaCompileServerException("its source is missing from this build");
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        var folder = Path.Combine(Path.GetTempPath(), $"devspaces-javac-server-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12]}");
        var file = Path.Combine(folder, "JavaCompileServer.java");
        if (!File.Exists(file))
        {
            Directory.CreateDirectory(folder);
            var written = Path.Combine(folder, $"{Guid.NewGuid():N}.tmp");
            File.WriteAllText(written, text);
            File.Move(written, file, overwrite: true);
        }

        return file;
    }

    private static async Task DrainAsync(StreamReader reader)
    {
        try
        {
            while (await reader.ReadLineAsync().ConfigureAwait(false) != null)
            {
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
        }
    }
}

/// <summary>The warm Java compiler cannot be used; javac runs as its own process instead.</summary>
public sealed class JavaCompileServerException(string message) : Exception(message);
