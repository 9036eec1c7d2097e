using DevSpaces.Tunnel;

namespace DevSpaces.Agent;

/// <summary>
/// Carries a cluster client's connection both ways. Once draining (this pod is going away), it closes the connection
/// at the first moment it is idle after an answer, so that a keep-alive client sends its next request on a new
/// connection, which the Service's current endpoints take, instead of losing a request on a connection cut mid-way.
/// </summary>
public static class DrainingRelay
{
    /// <summary>How long a connection must have been quiet, after the server's side spoke last, to count as idle.</summary>
    private static readonly TimeSpan Idle = TimeSpan.FromMilliseconds(20);

    public static async Task RunAsync(Stream client, Stream server, CancellationToken draining, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var activity = new Activity();
        var idle = CloseWhenIdleAsync(activity, draining, stop);
        await StreamPump.RunAsync(client, server, stop.Token, activity.Saw).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        await idle.ConfigureAwait(false);
    }

    private static async Task CloseWhenIdleAsync(Activity activity, CancellationToken draining, CancellationTokenSource stop)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, draining).WaitAsync(stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (draining.IsCancellationRequested && !stop.IsCancellationRequested)
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(5));
            try
            {
                while (!activity.IsIdle(Idle) && await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false))
                {
                }

                await stop.CancelAsync().ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>When the connection last carried bytes, and whether the server's side spoke last.</summary>
    private sealed class Activity
    {
        private readonly Lock gate = new();
        private long last = Environment.TickCount64;
        private bool serverLast = true;

        public void Saw(bool fromServer)
        {
            lock (gate)
            {
                last = Environment.TickCount64;
                serverLast = fromServer;
            }
        }

        public bool IsIdle(TimeSpan quiet)
        {
            lock (gate)
            {
                return serverLast && Environment.TickCount64 - last >= quiet.TotalMilliseconds;
            }
        }
    }
}
