using System.Diagnostics;
using DevSpaces.Core.Lifetime;
using DevSpaces.Core.Logging;

namespace DevSpaces.Core.Watch;

/// <summary>
/// Follows one kind of object with list-then-watch until disposed: lists, then watches from the list's version and
/// resumes from the last version seen when the server ends the stream; lists again when that version is too old
/// (410 Gone) or after a failure. Failures, and streams that end at once without delivering anything, are retried
/// with back-off. The loop is owned: <see cref="DisposeAsync"/> cancels it and waits for it to end.
/// </summary>
public sealed class ListWatch<T> : IAsyncDisposable
{
    private readonly string what;
    private readonly IWatchSource<T> source;
    private readonly WatchHandlers<T> handlers;
    private readonly ILog log;
    private readonly WatchBackoff backoff;
    private readonly CancellationTokenSource stop = new();

    private ListWatch(string what, IWatchSource<T> source, WatchHandlers<T> handlers, ILog log, WatchBackoff backoff)
    {
        this.what = what;
        this.source = source;
        this.handlers = handlers;
        this.log = log;
        this.backoff = backoff;
        var token = stop.Token;

        // Off the caller's path: connecting (kubeconfig, credential plugins) may take a while.
        Completion = Task.Run(() => RunAsync(token), CancellationToken.None);
    }

    /// <summary>Ends when the watch is disposed, or with the exception a <see cref="WatchHandlers{T}.Failed"/> handler threw.</summary>
    public Task Completion { get; }

    /// <summary>Starts following <paramref name="source"/>; <paramref name="what"/> names it in the log.</summary>
    public static ListWatch<T> Start(string what, IWatchSource<T> source, WatchHandlers<T> handlers, ILog log, WatchBackoff? backoff = null) =>
        new(what, source, handlers, log, backoff ?? new WatchBackoff());

    public async ValueTask DisposeAsync()
    {
        try
        {
            await OwnedLoop.CancelAndWaitAsync(stop, Completion).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Already seen by whoever awaited Completion; the owner is going away.
            log.Debug($"watch {what} had ended: {e.Message}");
        }

        stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        string? version = null;
        var unproductive = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            Exception failure;
            try
            {
                if (version == null)
                {
                    var (items, listedAt) = await source.ListAsync(cancellationToken).ConfigureAwait(false);
                    await handlers.Listed(items, cancellationToken).ConfigureAwait(false);
                    version = listedAt;
                    log.Debug($"watch {what}: listed {items.Count} at resourceVersion {listedAt}");
                }

                var (last, delivered, expired) = await StreamAsync(version, cancellationToken).ConfigureAwait(false);
                version = expired ? null : last;
                if (delivered)
                {
                    unproductive = 0;
                    continue;
                }

                var wait = backoff.After(++unproductive);
                log.Debug($"watch {what}: the stream ended at once{(expired ? " (resourceVersion too old)" : "")}; {(expired ? "listing" : "watching")} again in {wait.TotalMilliseconds:0} ms");
                await backoff.Delay(wait, cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                failure = e;
            }

            version = null;
            var delay = backoff.After(++unproductive);
            await handlers.Failed(failure, delay, cancellationToken).ConfigureAwait(false);
            try
            {
                await backoff.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>
    /// One watch stream. Returns the version to resume from, whether it delivered anything (an event or bookmark, or
    /// stayed open long enough), and whether the version was too old.
    /// </summary>
    private async Task<(string Version, bool Delivered, bool Expired)> StreamAsync(string version, CancellationToken cancellationToken)
    {
        var opened = Stopwatch.GetTimestamp();
        var received = false;
        bool LivedLongEnough() => received || Stopwatch.GetElapsedTime(opened) >= backoff.MinStreamLifetime;
        try
        {
            await foreach (var (kind, item) in source.WatchAsync(version, cancellationToken).ConfigureAwait(false))
            {
                received = true;
                version = source.VersionOf(item) ?? version;
                if (kind is not WatchEventKind.Bookmark)
                {
                    await handlers.Changed(kind, item, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (WatchExpiredException)
        {
            log.Debug($"watch {what}: resourceVersion {version} is too old, listing again");
            return (version, LivedLongEnough(), Expired: true);
        }
        catch (Exception e) when (e is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested && LivedLongEnough())
        {
            // The API server ends watch responses by closing the stream; an established stream that breaks is resumed
            // from the last version like one that ended. A new request that fails at once is a failure.
            log.Debug($"watch {what}: stream broke ({e.Message})");
        }

        log.Debug($"watch {what}: stream ended, resuming at resourceVersion {version}");
        return (version, LivedLongEnough(), Expired: false);
    }
}
