using DevSpaces.Core.PortForwarding.Spdy;
using k8s;

namespace DevSpaces.Core.PortForwarding;

/// <summary>
/// Opens pod connections as streams of one multiplexed session per pod (SPDY, as kubectl does), so a burst of new
/// connections costs a frame each instead of a WebSocket upgrade each. Where the API server refuses the upgrade
/// (a proxy in front of it that only passes WebSockets) the forward uses <paramref name="fallback"/> from then on.
/// </summary>
public sealed class SessionPodChannelOpener(IPodSessionDialer dialer, IPodChannelOpener fallback) : IPodChannelOpener, IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Namespace, string Pod), Task<IPodSession>> _sessions = [];
    private readonly List<Task<IPodSession>> _draining = [];
    private readonly CancellationTokenSource _stop = new();
    private volatile bool _refused;
    private bool _disposed;

    /// <summary>SPDY sessions through the API server, falling back to <paramref name="fallback"/> (by default a WebSocket per connection).</summary>
    public static SessionPodChannelOpener ForCluster(IKubernetes client, IPodChannelOpener? fallback = null) =>
        new(new SpdyDialer(client), fallback ?? new WebSocketPodPortConnector(client));

    /// <summary>True once the server refused the multiplexed protocol and connections go through the fallback.</summary>
    public bool UsesFallback => _refused;

    public async Task<IPodChannel> OpenAsync(string @namespace, string pod, int port, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (_refused)
            {
                return await fallback.OpenAsync(@namespace, pod, port, cancellationToken).ConfigureAwait(false);
            }

            var dialing = SessionFor(@namespace, pod);
            IPodSession session;
            try
            {
                session = await dialing.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (PortForwardUpgradeRefusedException e)
            {
                // 404 is a pod that went away and 5xx a server in trouble: not a refusal of the protocol.
                if (e.Status != 404 && e.Status < 500)
                {
                    _refused = true;
                }

                return await fallback.OpenAsync(@namespace, pod, port, cancellationToken).ConfigureAwait(false);
            }

            try
            {
                return await session.OpenAsync(port, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (attempt == 1 && !session.IsOpen && e is not OperationCanceledException)
            {
                // The session ended under us (the kubelet's idle timeout, a restart): dial a new one once.
            }
        }
    }

    /// <summary>
    /// Dials the session to <paramref name="pod"/> before its first connection (while the pod starts, say), so that
    /// connection costs only its frames. Ends when the session is open or its dial failed; a failed dial is left to
    /// the next <see cref="OpenAsync"/>, which dials again.
    /// </summary>
    public async Task WarmAsync(string @namespace, string pod)
    {
        if (_refused)
        {
            return;
        }

        try
        {
            await SessionFor(@namespace, pod).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Not reachable yet, refused or disposed meanwhile: the first connection finds out and decides.
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<Task<IPodSession>> sessions;
        lock (_lock)
        {
            _disposed = true;
            sessions = [.. _sessions.Values, .. _draining];
            _sessions.Clear();
            _draining.Clear();
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (var dialing in sessions)
        {
            await CloseAsync(dialing).ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    /// <summary>The open (or opening) session to the pod; a new one when there is none or it ended.</summary>
    private Task<IPodSession> SessionFor(string @namespace, string pod)
    {
        var key = (@namespace, pod);
        List<Task<IPodSession>> retired = [];
        Task<IPodSession> dialing;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_sessions.TryGetValue(key, out var existing) && !HasFailed(existing))
            {
                return existing;
            }

            dialing = dialer.DialAsync(@namespace, pod, _stop.Token);
            _sessions[key] = dialing;
            if (existing is not null)
            {
                // A session the server asked to wind down still carries its connections until they end.
                (existing.IsCompletedSuccessfully && existing.Result.ActiveChannels > 0 ? _draining : retired).Add(existing);
            }

            // Sessions to pods that new connections no longer go to close once their last connection did.
            foreach (var (other, session) in _sessions.Where(s => s.Key != key).ToList())
            {
                if (session.IsFaulted || session.IsCanceled || (session.IsCompletedSuccessfully && session.Result.ActiveChannels == 0))
                {
                    _sessions.Remove(other);
                    retired.Add(session);
                }
            }
        }

        foreach (var old in retired)
        {
            _ = CloseAsync(old);
        }

        return dialing;
    }

    private static bool HasFailed(Task<IPodSession> dialing) =>
        dialing.IsFaulted || dialing.IsCanceled || (dialing.IsCompletedSuccessfully && !dialing.Result.IsOpen);

    private static async Task CloseAsync(Task<IPodSession> dialing)
    {
        try
        {
            var session = await dialing.ConfigureAwait(false);
            await session.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // A session that never opened has nothing to close.
        }
    }

    private sealed class SpdyDialer(IKubernetes client) : IPodSessionDialer
    {
        public async Task<IPodSession> DialAsync(string @namespace, string pod, CancellationToken cancellationToken) =>
            await SpdySession.ConnectAsync(client, @namespace, pod, cancellationToken).ConfigureAwait(false);
    }
}
