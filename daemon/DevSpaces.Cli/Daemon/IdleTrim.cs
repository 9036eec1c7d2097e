using System.Diagnostics;
using DevSpaces.Core.Lifetime;
using DevSpaces.Core.Logging;

namespace DevSpaces.Cli.Daemon;

/// <summary>
/// Gives back the memory a burst of requests left committed once the client goes quiet: <see cref="Quiet"/> after the
/// last message, one collection that compacts and returns the GC's free memory to the system, then (glibc) the C
/// heap's free pages. The daemon spends most of its life idle; without this it would keep the peak of its last burst.
/// The loop is owned: <see cref="DisposeAsync"/> cancels it and waits for it.
/// </summary>
public sealed class IdleTrim : IAsyncDisposable
{
    /// <summary>How long without a message before the daemon counts as idle.</summary>
    public static readonly TimeSpan DefaultQuiet = TimeSpan.FromSeconds(2);

    private readonly Action trim;
    private readonly SemaphoreSlim woken = new(0, 1);
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;
    private long lastActivity = Stopwatch.GetTimestamp();
    private int pending;

    /// <param name="trim">What giving memory back does (<see cref="TrimProcess"/> in the daemon).</param>
    public IdleTrim(TimeSpan quiet, Action trim)
    {
        Quiet = quiet;
        this.trim = trim;
        var token = stop.Token;
        loop = Task.Run(() => RunAsync(token), CancellationToken.None);
    }

    public TimeSpan Quiet { get; }

    /// <summary>The daemon's own: a compacting, decommitting collection, then <c>malloc_trim</c> where glibc has it.</summary>
    public static IdleTrim ForDaemon(ILog log) => new(DefaultQuiet, () => TrimProcess(log));

    /// <summary>A message arrived: the next trim waits for <see cref="Quiet"/> after it.</summary>
    public void Activity()
    {
        Volatile.Write(ref lastActivity, Stopwatch.GetTimestamp());
        if (Interlocked.Exchange(ref pending, 1) == 0)
        {
            woken.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await OwnedLoop.CancelAndWaitAsync(stop, loop).ConfigureAwait(false);
        stop.Dispose();
        woken.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await woken.WaitAsync(cancellationToken).ConfigureAwait(false);
            do
            {
                TimeSpan idle;
                while ((idle = Stopwatch.GetElapsedTime(Volatile.Read(ref lastActivity))) < Quiet)
                {
                    await Task.Delay(Quiet - idle, cancellationToken).ConfigureAwait(false);
                }

                Volatile.Write(ref pending, 0);
            }
            // A message that arrived while the flag was still set did not wake the loop: wait for the quiet after it too.
            while (Stopwatch.GetElapsedTime(Volatile.Read(ref lastActivity)) < Quiet);

            trim();
        }
    }

    private static void TrimProcess(ILog log)
    {
        var before = Environment.WorkingSet;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        PosixCalls.TrimCHeap();
        log.Debug($"idle: working set {before / 1024} KiB -> {Environment.WorkingSet / 1024} KiB");
    }
}
