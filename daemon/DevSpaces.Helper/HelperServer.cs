using System.Net;
using System.Net.Sockets;
using DevSpaces.Helper.Protocol;
using DevSpaces.Tunnel;

namespace DevSpaces.Helper;

/// <summary>
/// Serves the daemon's connections: each proves the session key (the connect tunnel's handshake), then sends
/// request frames; replies go back on the same connection in order. An exec request takes its connection over.
/// </summary>
internal sealed class HelperServer(TreeStore tree, AppProcess app, Children children, string key, TimeSpan grace, Action<string> log)
{
    public async Task RunAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        var connections = new List<Task>();
        try
        {
            while (true)
            {
                var socket = await listener.AcceptSocketAsync(cancellationToken).ConfigureAwait(false);
                socket.NoDelay = true;
                connections.RemoveAll(t => t.IsCompleted);
                connections.Add(ServeAsync(socket, cancellationToken));
            }
        }
        finally
        {
            await Task.WhenAll(connections).ConfigureAwait(false);
        }
    }

    private async Task ServeAsync(Socket socket, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var batches = new Dictionary<uint, IncomingBatch>();
        try
        {
            await using var stream = new NetworkStream(socket, ownsSocket: true);
            if (!await TunnelHandshake.AcceptAsync(stream, key, cancellationToken).ConfigureAwait(false))
            {
                log($"refused a connection from {socket.RemoteEndPoint}: wrong session key");
                return;
            }

            await using var frames = new FrameStream(stream);
            while (await frames.ReadAsync(cancellationToken).ConfigureAwait(false) is { } frame)
            {
                if (frame.Kind == HelperFrameKind.Exec)
                {
                    // The connection belongs to the program from here on.
                    await new ExecSession(ExecRequest.Read(frame.Reader()), children, grace, log).RunAsync(frames, frame.RequestId, cancellationToken).ConfigureAwait(false);
                    return;
                }

                await HandleAsync(frame, frames, batches, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or InvalidDataException or EndOfStreamException)
        {
            log($"connection ended: {e.Message}");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            foreach (var batch in batches.Values)
            {
                batch.Dispose();
            }
        }
    }

    private async Task HandleAsync(HelperFrame frame, FrameStream frames, Dictionary<uint, IncomingBatch> batches, CancellationToken cancellationToken)
    {
        var reader = frame.Reader();
        IncomingBatch Batch()
        {
            if (!batches.TryGetValue(frame.RequestId, out var batch))
            {
                batches[frame.RequestId] = batch = new IncomingBatch(tree);
            }

            return batch;
        }

        switch (frame.Kind)
        {
            case HelperFrameKind.Hello:
                var version = reader.Int();
                if (version != HelperProtocol.Version)
                {
                    await ReplyErrorAsync(frames, frame.RequestId, $"the helper speaks protocol {HelperProtocol.Version}, the daemon {version}: the pod runs a helper of another devspaces version; redeploy with this one", cancellationToken).ConfigureAwait(false);
                    return;
                }

                var status = app.Status;
                var welcome = new Welcome(HelperProtocol.Version, Environment.ProcessId, tree.Root, status.State == AppState.Running ? status.Pid : 0);
                await ReplyAsync(frames, HelperFrameKind.Welcome, frame.RequestId, welcome.Encode(), cancellationToken).ConfigureAwait(false);
                return;
            case HelperFrameKind.GetManifest:
                var files = tree.List();
                for (var start = 0; start == 0 || start < files.Count; start += HelperProtocol.ManifestEntriesPerFrame)
                {
                    var part = files.Skip(start).Take(HelperProtocol.ManifestEntriesPerFrame).ToList();
                    var writer = new WireWriter().Bool(start + part.Count >= files.Count).Int(part.Count);
                    foreach (var file in part)
                    {
                        file.Write(writer);
                    }

                    await frames.WriteAsync(HelperFrameKind.ManifestPart, frame.RequestId, writer, cancellationToken).ConfigureAwait(false);
                }

                await frames.FlushAsync(cancellationToken).ConfigureAwait(false);
                return;
            case HelperFrameKind.PutFile:
                Batch().Announce(PutFile.Read(reader));
                return;
            case HelperFrameKind.FileData:
                Batch().Write(frame.Payload);
                return;
            case HelperFrameKind.Delete:
                Batch().Delete(reader.String());
                return;
            case HelperFrameKind.Move:
                Batch().Move(MoveFile.Read(reader));
                return;
            case HelperFrameKind.Commit:
                using (var batch = Batch())
                {
                    batches.Remove(frame.RequestId);
                    var received = batch.Received.Elapsed;
                    var result = tree.Complete(batch);
                    var cpu = Environment.CpuUsage;
                    log($"batch {frame.RequestId}: {batch.Moved} moved, {batch.Deleted} deleted, {result.Applied} applied; received and applied in {received.TotalMilliseconds:0} ms, tree listed in {(batch.Received.Elapsed - received).TotalMilliseconds:0} ms; the helper's CPU since the batch began: {(cpu.UserTime - batch.Cpu.UserTime).TotalMilliseconds:0} ms user, {(cpu.PrivilegedTime - batch.Cpu.PrivilegedTime).TotalMilliseconds:0} ms system");
                    await ReplyAsync(frames, HelperFrameKind.BatchResult, frame.RequestId, result.Encode(), cancellationToken).ConfigureAwait(false);
                }

                return;
            case HelperFrameKind.Restart:
                var restart = RestartRequest.Read(reader);
                var restarted = await app.RestartAsync(TimeSpan.FromMilliseconds(restart.GraceMilliseconds), TimeSpan.FromMilliseconds(restart.SettleMilliseconds), restart.ReadyPort, TimeSpan.FromMilliseconds(restart.ReadyTimeoutMilliseconds), cancellationToken).ConfigureAwait(false);
                await ReplyAsync(frames, HelperFrameKind.AppStatus, frame.RequestId, restarted.Encode(), cancellationToken).ConfigureAwait(false);
                return;
            case HelperFrameKind.GetStatus:
                await ReplyAsync(frames, HelperFrameKind.AppStatus, frame.RequestId, app.Status.Encode(), cancellationToken).ConfigureAwait(false);
                return;
            default:
                await ReplyErrorAsync(frames, frame.RequestId, $"unknown request kind {(int)frame.Kind}", cancellationToken).ConfigureAwait(false);
                return;
        }
    }

    private static async Task ReplyAsync(FrameStream frames, HelperFrameKind kind, uint requestId, WireWriter payload, CancellationToken cancellationToken)
    {
        await frames.WriteAsync(kind, requestId, payload, cancellationToken).ConfigureAwait(false);
        await frames.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static Task ReplyErrorAsync(FrameStream frames, uint requestId, string message, CancellationToken cancellationToken) =>
        ReplyAsync(frames, HelperFrameKind.Error, requestId, new WireWriter().String(message), cancellationToken);

    /// <summary>Parses <c>host:port</c> (the helper's <c>--listen</c>).</summary>
    public static IPEndPoint ParseEndpoint(string text) =>
        IPEndPoint.TryParse(text, out var endpoint) ? endpoint : throw new FormatException($"--listen {text} is not an address:port");
}
