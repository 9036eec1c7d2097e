using System.Net.Sockets;
using DevSpaces.Tunnel;
using Nerdbank.Streams;
using StreamJsonRpc;

namespace DevSpaces.Agent;

/// <summary>One authenticated tunnel from the daemon: serves its control calls and carries connections both ways.</summary>
public sealed class AgentSession : IAgentControl, IAsyncDisposable
{
    private readonly HeartbeatWatchdog watchdog;
    private readonly Action<string> log;
    private readonly OwnedTasks pumps;
    private TunnelConnection? tunnel;
    private IDaemonCallbacks? daemon;

    private AgentSession(HeartbeatWatchdog watchdog, Action<string> log)
    {
        this.watchdog = watchdog;
        this.log = log;
        pumps = new OwnedTasks(log);
    }

    public Task Completion => tunnel!.Completion;

    public static async Task<AgentSession> OpenAsync(Stream stream, HeartbeatWatchdog watchdog, Action<string> log, CancellationToken cancellationToken)
    {
        var session = new AgentSession(watchdog, log);
        session.tunnel = await TunnelConnection.OpenAsync<IAgentControl>(stream, offersControl: false, session, cancellationToken).ConfigureAwait(false);
        session.daemon = session.tunnel.Rpc.Attach<IDaemonCallbacks>();
        watchdog.Beat();
        return session;
    }

    public Task HeartbeatAsync(CancellationToken cancellationToken)
    {
        watchdog.Beat();
        return Task.CompletedTask;
    }

    public async Task<ulong> DialAsync(string host, int port, CancellationToken cancellationToken)
    {
        var client = new TcpClient { NoDelay = true };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            await client.ConnectAsync(host, port, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            client.Dispose();
            throw new LocalRpcException($"The agent could not connect to {host}:{port} inside the cluster: {e.Message}") { ErrorCode = 1 };
        }

        var channel = tunnel!.Multiplexer.CreateChannel();
        pumps.Start($"outbound connection to {host}:{port}", async ct =>
        {
            using (client)
            await using (var carried = channel.AsStream())
            {
                await StreamPump.RunAsync(client.GetStream(), carried, ct).ConfigureAwait(false);
            }
        });
        return channel.QualifiedId.Id;
    }

    /// <summary>
    /// Carries a connection a cluster client made to a service port to the daemon. False when the daemon did not take it
    /// (the tunnel is ending): nothing was carried, and the caller may send it elsewhere.
    /// </summary>
    public async Task<bool> CarryInboundAsync(TcpClient client, int port, CancellationToken draining, CancellationToken cancellationToken)
    {
        var remote = client.Client.RemoteEndPoint?.ToString() ?? "?";
        MultiplexingStream.Channel channel;
        try
        {
            channel = tunnel!.Multiplexer.CreateChannel();
        }
        catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException or IOException)
        {
            log($"the tunnel ended before the connection from {remote} to port {port} could be carried: {e.Message}");
            return false;
        }

        await using var carried = channel.AsStream();
        try
        {
            // False means nothing listens locally; the daemon then wrote a 502 text into the channel, passed on below.
            _ = await daemon!.ConnectInboundAsync(channel.QualifiedId.Id, port, remote, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RemoteInvocationException or ConnectionLostException or ObjectDisposedException)
        {
            log($"the daemon did not take the connection from {remote} to port {port}: {e.Message}");
            return false;
        }

        await DrainingRelay.RunAsync(client.GetStream(), carried, draining, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        if (tunnel != null)
        {
            await tunnel.DisposeAsync().ConfigureAwait(false);
        }

        await pumps.DisposeAsync().ConfigureAwait(false);
    }
}
