using System.Diagnostics;
using DevSpaces.Core.Lifetime;
using DevSpaces.Helper.Protocol;

namespace DevSpaces.Core.Sync;

/// <summary>
/// Keeps a container's folder equal to a local one: starts from what the container already holds (so a restarted
/// daemon or a replaced connection sends only the difference), then watches the local folder, rescans what the
/// watcher hinted once the debounce window closes, and applies the difference as one batch. Each round is handed to
/// <c>onRound</c> with its update decision (copy, restart, build, rebuild), which the caller carries out.
/// </summary>
public sealed class SyncSession : IAsyncDisposable
{
    private readonly FolderScanner scanner;
    private readonly ISyncTarget target;
    private readonly IUpdateRules updates;
    private readonly Func<SyncRound, CancellationToken, Task> onRound;
    private readonly TimeProvider time;
    private readonly Lock gate = new();
    private readonly ChangeDebouncer debouncer;
    private readonly SemaphoreSlim hinted = new(0);
    private readonly CancellationTokenSource stop = new();
    private readonly Dictionary<string, FileEntry> remote = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> failedUpserts = new(StringComparer.Ordinal);
    private readonly HashSet<string> reported = new(StringComparer.Ordinal);
    private FolderWatcher? watcher;
    private Task loop = Task.CompletedTask;

    public SyncSession(FolderScanner scanner, ISyncTarget target, IUpdateRules updates, SyncTimings timings, Func<SyncRound, CancellationToken, Task> onRound, TimeProvider? time = null)
    {
        this.scanner = scanner;
        this.target = target;
        this.updates = updates;
        this.onRound = onRound;
        this.time = time ?? TimeProvider.System;
        debouncer = new ChangeDebouncer(timings.Quiet, timings.MaxDelay);
    }

    /// <summary>Ends when the session fails (the connection to the container broke) or is disposed.</summary>
    public Task Completion => loop;

    /// <summary>The first sync: what the container lacks travels; then the watch begins. Returns the first round.</summary>
    public async Task<SyncRound> StartAsync(CancellationToken cancellationToken)
    {
        // The container's listing travels while the folder is scanned here.
        var listing = target.ListFilesAsync(cancellationToken);

        // Watch before the first scan, so nothing written during it is missed.
        watcher = new FolderWatcher(scanner.Root, Hint);
        var scanTime = Stopwatch.StartNew();
        scanner.ScanAll(deferHashing: target.HashesWhatItSends);
        foreach (var file in await listing.ConfigureAwait(false))
        {
            remote[file.Path] = file;
        }

        // A file the container lacks, or holds at another size, travels whatever its hash: the sender hashes it on
        // the way. The others are hashed here to compare, as is a file whose content may be that of a container file
        // to delete (a rename, sent as a move).
        var deletedSizes = remote.Values.Where(f => !scanner.Files.ContainsKey(f.Path)).Select(f => f.Size).ToHashSet();
        scanner.HashDeferred(local => (remote.TryGetValue(local.Path, out var there) && there.Size == local.Size) || deletedSizes.Contains(local.Size));
        var first = await SyncAsync(scanTime.Elapsed, alwaysReport: true, cancellationToken).ConfigureAwait(false);
        loop = RunAsync(stop.Token);
        return first;
    }

    public async ValueTask DisposeAsync()
    {
        watcher?.Dispose();
        await OwnedLoop.CancelAndWaitAsync(stop, loop).ConfigureAwait(false);
        stop.Dispose();
        hinted.Dispose();
    }

    private void Hint(string folder)
    {
        lock (gate)
        {
            debouncer.Hint(folder, time.GetUtcNow());
        }

        hinted.Release();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        while (true)
        {
            DateTimeOffset? due;
            lock (gate)
            {
                due = debouncer.DueAt;
            }

            if (due is not { } at)
            {
                await hinted.WaitAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            var wait = at - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                // Hints arriving meanwhile move the due time; it is read again after the wait.
                await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            IReadOnlyList<string>? folders;
            lock (gate)
            {
                folders = debouncer.TakeIfDue(time.GetUtcNow());
            }

            if (folders != null)
            {
                var scanTime = Stopwatch.StartNew();
                scanner.Scan(folders);
                await SyncAsync(scanTime.Elapsed, alwaysReport: false, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<SyncRound> SyncAsync(TimeSpan scanTime, bool alwaysReport, CancellationToken cancellationToken)
    {
        var planned = SyncPlanner.Plan(scanner.Files, remote, scanner.Rules, scanner.SkippedPaths);

        // A file the container refused is not sent again until it changes.
        var plan = planned with { Upserts = planned.Upserts.Where(u => !failedUpserts.TryGetValue(u.Path, out var hash) || hash != u.Hash).ToList() };
        var problems = scanner.Problems.Where(p => reported.Add(p.ToString())).ToList();
        BatchResult? result = null;
        var applyTime = Stopwatch.StartNew();
        if (!plan.IsEmpty)
        {
            var applied = await target.ApplyAsync(plan, scanner.Root, cancellationToken).ConfigureAwait(false);
            result = applied.Result;
            Remember(plan, applied);
            foreach (var sent in applied.Sent)
            {
                scanner.Hashed(sent);
            }
            problems.AddRange(applied.Result.Problems.Select(p => new SyncProblem(p.Path, $"not applied in the container: {p.Message}")));
        }

        // What did not travel (gone meanwhile) is hashed now, so the manifest is whole for the next round.
        scanner.HashDeferred();
        var round = new SyncRound(plan, UpdateDecision.For(plan, updates), result, problems, scanTime, applyTime.Elapsed);
        if (alwaysReport || !plan.IsEmpty || problems.Count > 0)
        {
            await onRound(round, cancellationToken).ConfigureAwait(false);
        }

        return round;
    }

    /// <summary>What the container holds after the batch, without listing it again.</summary>
    private void Remember(SyncPlan plan, SyncApplied applied)
    {
        var failed = applied.Result.Problems.Select(p => p.Path).ToHashSet(StringComparer.Ordinal);
        foreach (var move in plan.Moves.Where(m => !failed.Contains(m.To)))
        {
            if (remote.Remove(move.From, out var moved))
            {
                remote[move.To] = moved with { Path = move.To };
            }
        }

        foreach (var delete in plan.Deletes.Where(d => !failed.Contains(d)))
        {
            remote.Remove(delete);
        }

        foreach (var sent in applied.Sent)
        {
            if (failed.Contains(sent.Path))
            {
                failedUpserts[sent.Path] = sent.Hash;
                remote.Remove(sent.Path);
            }
            else
            {
                failedUpserts.Remove(sent.Path);
                remote[sent.Path] = sent;
            }
        }
    }
}
