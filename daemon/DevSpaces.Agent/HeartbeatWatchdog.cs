namespace DevSpaces.Agent;

/// <summary>Fires once when no heartbeat arrived within the timeout (the first one gets a longer grace).</summary>
public sealed class HeartbeatWatchdog(TimeSpan timeout, TimeSpan firstContact, TimeProvider time)
{
    private readonly Lock gate = new();
    private DateTimeOffset deadline = time.GetUtcNow() + firstContact;

    public void Beat()
    {
        lock (gate)
        {
            deadline = time.GetUtcNow() + timeout;
        }
    }

    /// <summary>Completes when the deadline passed without a beat.</summary>
    public async Task WaitForSilenceAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250), time);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            lock (gate)
            {
                if (time.GetUtcNow() > deadline)
                {
                    return;
                }
            }
        }
    }
}
