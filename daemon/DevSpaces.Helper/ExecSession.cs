using System.Runtime.InteropServices;
using DevSpaces.Helper.Protocol;
using Microsoft.Win32.SafeHandles;

namespace DevSpaces.Helper;

/// <summary>
/// One program run by exec: its standard input, output and error are pipes carried as frames over the connection
/// that asked for it, byte for byte and in order, with no terminal in between; its exit code follows once it ended
/// and both outputs are drained. When the connection goes first, the program's process group gets SIGTERM, and
/// SIGKILL after the grace period.
/// </summary>
internal sealed class ExecSession(ExecRequest request, Children children, TimeSpan grace, Action<string> log)
{
    private const int ChunkSize = 64 * 1024;
    private readonly SemaphoreSlim writing = new(1, 1);

    public async Task RunAsync(FrameStream frames, uint id, CancellationToken cancellationToken)
    {
        if (request.Command.Count == 0)
        {
            await ReplyAsync(frames, HelperFrameKind.Error, id, new WireWriter().String("exec needs a program to run"), cancellationToken).ConfigureAwait(false);
            return;
        }

        // Three pipes, every end close-on-exec: [0] is the read end, [1] the write end.
        var pipes = Enumerable.Repeat(-1, 6).ToArray();
        if (Native.Pipes(pipes) is var pipeError and not 0)
        {
            CloseAll(pipes);
            await ReplyAsync(frames, HelperFrameKind.Error, id, new WireWriter().String($"could not make a pipe: {Marshal.GetPInvokeErrorMessage(pipeError)}"), cancellationToken).ConfigureAwait(false);
            return;
        }

        var exit = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var spawnError = children.Start(
            () => Spawner.Spawn(request.Command, request.WorkingDirectory, request.Environment, [pipes[0], pipes[3], pipes[5]]),
            (_, code) => exit.TrySetResult(code),
            out var pid);
        foreach (var childEnd in new[] { pipes[0], pipes[3], pipes[5] })
        {
            Native.Close(childEnd);
        }

        if (spawnError != 0)
        {
            CloseAll([pipes[1], pipes[2], pipes[4]]);
            await ReplyAsync(frames, HelperFrameKind.Error, id, new WireWriter().String($"could not start {request.Command[0]}: {Marshal.GetPInvokeErrorMessage(spawnError)}"), cancellationToken).ConfigureAwait(false);
            return;
        }

        log($"exec: started {request.Command[0]} as pid {pid}");
        await using var stdin = Pipe(pipes[1], FileAccess.Write);
        await using var stdout = Pipe(pipes[2], FileAccess.Read);
        await using var stderr = Pipe(pipes[4], FileAccess.Read);
        await ReplyAsync(frames, HelperFrameKind.ExecStarted, id, new WireWriter().Int(pid), cancellationToken).ConfigureAwait(false);

        using var reading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var input = CarryInputAsync(frames, stdin, reading.Token);
        var finished = Task.WhenAll(exit.Task, PumpAsync(stdout, frames, HelperFrameKind.Stdout, id), PumpAsync(stderr, frames, HelperFrameKind.Stderr, id));
        if (await Task.WhenAny(finished, input).ConfigureAwait(false) == input && !finished.IsCompleted)
        {
            // The connection ended (or the helper stops) while the program runs: nobody reads it any more.
            log($"exec: the connection of pid {pid} ended; stopping it");
            Spawner.Signal(pid, Native.SIGTERM);
            if (await Task.WhenAny(finished, Task.Delay(grace, CancellationToken.None)).ConfigureAwait(false) != finished)
            {
                Spawner.Signal(pid, Native.SIGKILL);
            }

            await finished.ConfigureAwait(false);
            return;
        }

        var code = await exit.Task.ConfigureAwait(false);
        log($"exec: pid {pid} exited with code {code}");
        try
        {
            await WriteAsync(frames, HelperFrameKind.Exited, id, new WireWriter().Int(code).Written).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The connection went as the program ended.
        }

        await reading.CancelAsync().ConfigureAwait(false);
        try
        {
            await input.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Writes <see cref="HelperFrameKind.Stdin"/> frames into the program until the connection ends (an empty one closes its input).</summary>
    private static async Task CarryInputAsync(FrameStream frames, FileStream stdin, CancellationToken cancellationToken)
    {
        var open = true;
        try
        {
            while (await frames.ReadAsync(cancellationToken).ConfigureAwait(false) is { } frame)
            {
                if (frame.Kind != HelperFrameKind.Stdin || !open)
                {
                    continue;
                }

                try
                {
                    if (frame.Payload.IsEmpty)
                    {
                        open = false;
                        await stdin.DisposeAsync().ConfigureAwait(false);
                        continue;
                    }

                    await stdin.WriteAsync(frame.Payload, cancellationToken).ConfigureAwait(false);
                }
                catch (IOException)
                {
                    // The program closed its input (EPIPE): what else comes is dropped.
                    open = false;
                }
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or EndOfStreamException)
        {
            // The connection broke: the same as closed.
        }
    }

    private async Task PumpAsync(FileStream output, FrameStream frames, HelperFrameKind kind, uint id)
    {
        var buffer = new byte[ChunkSize];
        var connected = true;
        int read;
        while ((read = await output.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            try
            {
                if (connected)
                {
                    await WriteAsync(frames, kind, id, buffer.AsMemory(0, read)).ConfigureAwait(false);
                }
            }
            catch (IOException)
            {
                // Nobody reads any more; keep draining so the program does not block on a full pipe before it is stopped.
                connected = false;
            }
        }
    }

    private async Task WriteAsync(FrameStream frames, HelperFrameKind kind, uint id, ReadOnlyMemory<byte> payload)
    {
        await writing.WaitAsync().ConfigureAwait(false);
        try
        {
            await frames.WriteAsync(kind, id, payload, CancellationToken.None).ConfigureAwait(false);
            await frames.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            writing.Release();
        }
    }

    private static async Task ReplyAsync(FrameStream frames, HelperFrameKind kind, uint id, WireWriter payload, CancellationToken cancellationToken)
    {
        await frames.WriteAsync(kind, id, payload, cancellationToken).ConfigureAwait(false);
        await frames.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static FileStream Pipe(int fd, FileAccess access) => new(new SafeFileHandle(fd, ownsHandle: true), access, bufferSize: 0);

    private static void CloseAll(int[] fds)
    {
        foreach (var fd in fds.Where(fd => fd >= 0))
        {
            Native.Close(fd);
        }
    }
}
