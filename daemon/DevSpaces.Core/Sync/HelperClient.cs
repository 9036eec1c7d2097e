using System.Security.Cryptography;
using DevSpaces.Helper.Protocol;
using DevSpaces.Tunnel;

namespace DevSpaces.Core.Sync;

/// <summary>
/// One connection to the in-container helper (over a port-forward, or any stream): proves the session key with the
/// connect tunnel's handshake, then sends requests one at a time. A cancelled request leaves the connection in an
/// unknown state: dispose it and connect again.
/// </summary>
public sealed class HelperClient : ISyncTarget, IAsyncDisposable
{
    private readonly FrameStream frames;
    private readonly SemaphoreSlim gate = new(1, 1);
    private uint lastRequest;

    private HelperClient(Stream stream) => frames = new FrameStream(stream);

    /// <summary>What the helper said when the connection opened (its pid, root, the app's pid).</summary>
    public Welcome Welcome { get; private set; } = null!;

    public static async Task<HelperClient> ConnectAsync(Stream stream, string key, CancellationToken cancellationToken)
    {
        try
        {
            await TunnelHandshake.AuthenticateAsync(stream, key, cancellationToken).ConfigureAwait(false);
        }
        catch (TunnelRejectedException e)
        {
            throw new HelperException(e.Message.Replace("agent", "helper", StringComparison.Ordinal));
        }

        var client = new HelperClient(stream);
        try
        {
            client.Welcome = await client.RequestAsync(HelperFrameKind.Hello, new WireWriter().Int(HelperProtocol.Version), HelperFrameKind.Welcome, Welcome.Read, cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async Task<IReadOnlyList<FileEntry>> ListFilesAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var id = await SendAsync(HelperFrameKind.GetManifest, new WireWriter(), cancellationToken).ConfigureAwait(false);
            var files = new List<FileEntry>();
            while (true)
            {
                var reader = (await ReadReplyAsync(id, HelperFrameKind.ManifestPart, cancellationToken).ConfigureAwait(false)).Reader();
                var last = reader.Bool();
                var count = reader.Int();
                for (var i = 0; i < count; i++)
                {
                    files.Add(FileEntry.Read(reader));
                }

                if (last)
                {
                    return files;
                }
            }
        }
        finally
        {
            gate.Release();
        }
    }

    public bool HashesWhatItSends => true;

    public async Task<SyncApplied> ApplyAsync(SyncPlan plan, string localRoot, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var id = ++lastRequest;
            var sent = await WriteBatchAsync(frames, id, plan, localRoot, cancellationToken).ConfigureAwait(false);
            var result = BatchResult.Read((await ReadReplyAsync(id, HelperFrameKind.BatchResult, cancellationToken).ConfigureAwait(false)).Reader());
            return new SyncApplied(result, sent);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Restarts the app (SIGTERM, SIGKILL after <paramref name="grace"/>) and reports it after <paramref name="settle"/>, or when it exits sooner.</summary>
    public Task<AppStatus> RestartAsync(TimeSpan grace, TimeSpan settle, CancellationToken cancellationToken) =>
        RestartAsync(grace, settle, 0, TimeSpan.Zero, cancellationToken);

    /// <summary>Restarts the app and answers once something listens on <paramref name="readyPort"/> in the pod, the app exited, or <paramref name="readyTimeout"/> passed.</summary>
    public Task<AppStatus> RestartAsync(TimeSpan grace, TimeSpan settle, int readyPort, TimeSpan readyTimeout, CancellationToken cancellationToken) =>
        RequestAsync(HelperFrameKind.Restart, new RestartRequest((int)grace.TotalMilliseconds, (int)settle.TotalMilliseconds, readyPort, (int)readyTimeout.TotalMilliseconds).Encode(), HelperFrameKind.AppStatus, AppStatus.Read, cancellationToken);

    public Task<AppStatus> GetStatusAsync(CancellationToken cancellationToken) =>
        RequestAsync(HelperFrameKind.GetStatus, new WireWriter(), HelperFrameKind.AppStatus, AppStatus.Read, cancellationToken);

    /// <summary>
    /// Runs <paramref name="request"/>'s program in the container with <paramref name="stdin"/> as its input (closed
    /// when it ends) and its output and error written to <paramref name="stdout"/> and <paramref name="stderr"/> as
    /// they come, byte for byte; returns its exit code. The connection belongs to the program from here on: dispose
    /// the client afterwards.
    /// </summary>
    public async Task<int> ExecAsync(ExecRequest request, Stream stdin, Stream stdout, Stream stderr, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        var id = await SendAsync(HelperFrameKind.Exec, request.Encode(), cancellationToken).ConfigureAwait(false);
        await ReadReplyAsync(id, HelperFrameKind.ExecStarted, cancellationToken).ConfigureAwait(false);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var input = CarryInputAsync(id, stdin, stop.Token);
        try
        {
            while (true)
            {
                HelperFrame? next;
                try
                {
                    next = await frames.ReadAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or InvalidDataException)
                {
                    throw new HelperException($"The connection to the helper broke while {request.Command[0]} ran: {e.Message}");
                }

                switch (next)
                {
                    case null:
                        throw new HelperException($"The helper closed the connection while {request.Command[0]} ran.");
                    case { Kind: HelperFrameKind.Stdout } frame:
                        await stdout.WriteAsync(frame.Payload, cancellationToken).ConfigureAwait(false);
                        await stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
                        break;
                    case { Kind: HelperFrameKind.Stderr } frame:
                        await stderr.WriteAsync(frame.Payload, cancellationToken).ConfigureAwait(false);
                        await stderr.FlushAsync(cancellationToken).ConfigureAwait(false);
                        break;
                    case { Kind: HelperFrameKind.Exited } frame:
                        return frame.Reader().Int();
                }
            }
        }
        finally
        {
            // A local input that never ends (a terminal) blocks in a read that cannot be cancelled; the program is
            // over, so its input is not waited for.
            await stop.CancelAsync().ConfigureAwait(false);
            if (input.IsCompleted)
            {
                await input.ConfigureAwait(false);
            }
        }
    }

    /// <summary>Sends <paramref name="stdin"/> as <see cref="HelperFrameKind.Stdin"/> frames, then an empty one for its end.</summary>
    private async Task CarryInputAsync(uint id, Stream stdin, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await stdin.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await frames.WriteAsync(HelperFrameKind.Stdin, id, buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                await frames.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            await frames.WriteAsync(HelperFrameKind.Stdin, id, ReadOnlyMemory<byte>.Empty, cancellationToken).ConfigureAwait(false);
            await frames.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The program ended, or the connection did: its input has nowhere to go.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await frames.DisposeAsync().ConfigureAwait(false);
        await frames.Inner.DisposeAsync().ConfigureAwait(false);
        gate.Dispose();
    }

    /// <summary>Writes <paramref name="plan"/> as one batch (moves, deletes, files, then the commit) and flushes; the files as sent.</summary>
    public static async Task<List<FileEntry>> WriteBatchAsync(FrameStream frames, uint id, SyncPlan plan, string localRoot, CancellationToken cancellationToken)
    {
        foreach (var move in plan.Moves)
        {
            await frames.WriteAsync(HelperFrameKind.Move, id, move.Encode(), cancellationToken).ConfigureAwait(false);
        }

        foreach (var delete in plan.Deletes)
        {
            await frames.WriteAsync(HelperFrameKind.Delete, id, new WireWriter().String(delete), cancellationToken).ConfigureAwait(false);
        }

        var sent = new List<FileEntry>(plan.Upserts.Count);
        var buffer = new byte[FrameStream.DataChunkSize];
        foreach (var upsert in plan.Upserts)
        {
            if (await SendFileAsync(frames, id, upsert, Path.Combine(localRoot, upsert.Path), buffer, cancellationToken).ConfigureAwait(false) is { } entry)
            {
                sent.Add(entry);
            }
        }

        await frames.WriteAsync(HelperFrameKind.Commit, id, ReadOnlyMemory<byte>.Empty, cancellationToken).ConfigureAwait(false);
        await frames.FlushAsync(cancellationToken).ConfigureAwait(false);
        return sent;
    }

    /// <summary>Sends one file as it is now; null when it is gone (the next scan sees it deleted).</summary>
    private static async Task<FileEntry?> SendFileAsync(FrameStream frames, uint id, FileEntry upsert, string fullPath, byte[] buffer, CancellationToken cancellationToken)
    {
        FileStream file;
        try
        {
            file = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        await using (file.ConfigureAwait(false))
        {
            var length = file.Length;
            await frames.WriteAsync(HelperFrameKind.PutFile, id, new PutFile(upsert.Path, length, upsert.Executable).Encode(), cancellationToken).ConfigureAwait(false);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            for (var remaining = length; remaining > 0;)
            {
                var want = (int)Math.Min(buffer.Length, remaining);
                // Local files are in the page cache after the scan: a plain read beats a thread-pool hop per chunk.
                var read = file.Read(buffer, 0, want);
                if (read == 0)
                {
                    // Truncated while sent: send zeros for the announced length; the hash says what arrived, and
                    // the next scan sends the file again.
                    Array.Clear(buffer, 0, want);
                    read = want;
                }

                hash.AppendData(buffer, 0, read);
                await frames.WriteAsync(HelperFrameKind.FileData, id, buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                remaining -= read;
            }

            return upsert with { Hash = Convert.ToHexStringLower(hash.GetHashAndReset()), Size = length };
        }
    }

    private async Task<T> RequestAsync<T>(HelperFrameKind kind, WireWriter payload, HelperFrameKind expected, Func<WireReader, T> read, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var id = await SendAsync(kind, payload, cancellationToken).ConfigureAwait(false);
            return read((await ReadReplyAsync(id, expected, cancellationToken).ConfigureAwait(false)).Reader());
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<uint> SendAsync(HelperFrameKind kind, WireWriter payload, CancellationToken cancellationToken)
    {
        var id = ++lastRequest;
        await frames.WriteAsync(kind, id, payload, cancellationToken).ConfigureAwait(false);
        await frames.FlushAsync(cancellationToken).ConfigureAwait(false);
        return id;
    }

    private async Task<HelperFrame> ReadReplyAsync(uint id, HelperFrameKind expected, CancellationToken cancellationToken)
    {
        HelperFrame? frame;
        try
        {
            frame = await frames.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            throw new HelperException($"The connection to the helper broke: {e.Message}");
        }

        if (frame is not { } reply)
        {
            throw new HelperException("The helper closed the connection.");
        }

        if (reply.Kind == HelperFrameKind.Error)
        {
            throw new HelperException($"The helper refused the request: {reply.Reader().String()}.");
        }

        if (reply.Kind != expected || reply.RequestId != id)
        {
            throw new HelperException($"The helper answered {reply.Kind} to request {reply.RequestId} where {expected} to request {id} was expected.");
        }

        return reply;
    }
}
