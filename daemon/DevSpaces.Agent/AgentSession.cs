using System.Net;
using System.Net.Sockets;
using DevSpaces.Tunnel;
using Nerdbank.Streams;
using StreamJsonRpc;

namespace DevSpaces.Agent;

/// <summary>One authenticated tunnel from the daemon: serves its control calls and carries connections both ways.</summary>
public sealed class AgentSession : IAgentControl, IAsyncDisposable
{
    private readonly HeartbeatWatchdog watchdog;
    private readonly RouteProbe routeProbe;
    private readonly Action<string> log;
    private readonly OwnedTasks pumps;
    private TunnelConnection? tunnel;
    private IDaemonCallbacks? daemon;

    private AgentSession(HeartbeatWatchdog watchdog, RouteProbe routeProbe, Action<string> log)
    {
        this.watchdog = watchdog;
        this.routeProbe = routeProbe;
        this.log = log;
        pumps = new OwnedTasks(log);
    }

    public Task Completion => tunnel!.Completion;

    public static async Task<AgentSession> OpenAsync(Stream stream, HeartbeatWatchdog watchdog, RouteProbe routeProbe, Action<string> log, CancellationToken cancellationToken)
    {
        var session = new AgentSession(watchdog, routeProbe, log);
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

    public Task<bool> WaitForRouteAsync(string address, int port, bool toAgent, int timeoutMilliseconds, CancellationToken cancellationToken) =>
        IPAddress.TryParse(address, out var ip)
            ? routeProbe.WaitAsync(ip, port, toAgent, TimeSpan.FromMilliseconds(timeoutMilliseconds), cancellationToken)
            : throw new LocalRpcException($"{address} is not an IP address; the route probe needs the Service's cluster IP") { ErrorCode = 1 };

    /// <summary>
    /// Carries a connection a cluster client made to a service port to the daemon, starting with <paramref name="first"/>
    /// (bytes the client sent before). Not taken when the daemon did not take it (the tunnel is ending): nothing was
    /// carried, and the caller may send it elsewhere; see <see cref="Carried"/> for the rest.
    /// </summary>
    public async Task<Carried> CarryInboundAsync(TcpClient client, int port, ReadOnlyMemory<byte> first, CancellationToken draining, CancellationToken cancellationToken)
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
            return Carried.NotTaken;
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
            return Carried.NotTaken;
        }

        return Carried.Over(await DrainingRelay.RunAsync(client.GetStream(), carried, first, draining, cancellationToken).ConfigureAwait(false));
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

/// <summary>How carrying a client's connection ended.</summary>
/// <param name="Taken">False when nothing was carried (the server side was not there): the connection may go elsewhere.</param>
/// <param name="Next">
/// Set when the server's side ended while the connection was idle and the client then sent more: these bytes start its
/// next request, to be carried on to another server.
/// </param>
public sealed record Carried(bool Taken, byte[]? Next)
{
    public static readonly Carried NotTaken = new(false, null);

    public static Carried Over(byte[]? next) => new(true, next);
}
