using System.Net;
using DevSpaces.Contracts;

namespace DevSpaces.Core.Routing;

/// <summary>
/// Finds where a request chain for a child space lost its routing key. The router tells it about every request with
/// a key for a child (<see cref="KeyedArrived"/>, then <see cref="Completed"/>) and asks it about every request
/// without one (<see cref="Check"/>):
/// <list type="bullet">
/// <item>Exact: the keyless request carries a W3C <c>traceparent</c> with the trace id of a request that had the key;
/// the service that dropped it is the one of that trace still serving (the innermost), else the last one reached.</item>
/// <item>Best guess: the keyless request carries no <c>traceparent</c>, arrives from another address than the keyed
/// request's caller and for another service, while a request with the key is being served: that service is named.</item>
/// </list>
/// A request without the key that carries an unknown trace id belongs to another chain and is left alone. Keyed
/// requests are remembered for <see cref="Window"/> after they end, at most <see cref="Capacity"/> of them.
/// </summary>
public sealed class PropagationCheck(string root, TimeProvider? time = null)
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(30);

    public const int Capacity = 10_000;

    private readonly TimeProvider clock = time ?? TimeProvider.System;
    private readonly Lock gate = new();
    private readonly Dictionary<string, List<Keyed>> byTrace = new(StringComparer.Ordinal);
    private readonly Queue<Keyed> remembered = new();
    private readonly List<Keyed> open = [];
    private volatile int held;

    /// <summary>A request with a key for a child space, from arrival to <see cref="PropagationCheck.Completed"/>.</summary>
    public sealed class Keyed(string space, string service, string servedBy, string? traceId, IPAddress? from, long arrived)
    {
        internal string Space => space;

        internal string Service => service;

        internal string ServedBy => servedBy;

        internal string? TraceId => traceId;

        internal IPAddress? From => from;

        internal long Arrived => arrived;

        internal long Ended { get; set; } = -1;
    }

    /// <summary>Records a request with a key; null when the key is for the root (nothing to lose then) or none.</summary>
    /// <param name="space">The space the request is for.</param>
    /// <param name="service">The routed Service it arrived for.</param>
    /// <param name="servedBy">The space whose version serves it.</param>
    /// <param name="traceparent">Its <c>traceparent</c> header, if any.</param>
    /// <param name="from">The caller's address.</param>
    public Keyed? KeyedArrived(string? space, string service, string servedBy, string? traceparent, IPAddress? from)
    {
        if (space is null || space == root)
        {
            return null;
        }

        var traceId = TraceIdOf(traceparent);
        var now = clock.GetTimestamp();
        var keyed = new Keyed(space, service, servedBy, traceId.IsEmpty ? null : traceId.ToString(), from, now);
        lock (gate)
        {
            Forget(now);
            remembered.Enqueue(keyed);
            open.Add(keyed);
            if (keyed.TraceId is not null)
            {
                if (!byTrace.TryGetValue(keyed.TraceId, out var chain))
                {
                    byTrace[keyed.TraceId] = chain = [];
                }

                chain.Add(keyed);
            }

            held = remembered.Count;
        }

        return keyed;
    }

    /// <summary>The keyed request was answered.</summary>
    public void Completed(Keyed? keyed)
    {
        if (keyed is null)
        {
            return;
        }

        lock (gate)
        {
            keyed.Ended = clock.GetTimestamp();
            open.Remove(keyed);
        }
    }

    /// <summary>Where the chain a keyless request belongs to lost its key, or null when it belongs to none known.</summary>
    /// <param name="service">The routed Service the keyless request arrived for.</param>
    /// <param name="traceparent">Its <c>traceparent</c> header, if any.</param>
    /// <param name="from">The caller's address.</param>
    public KeyDrop? Check(string service, string? traceparent, IPAddress? from)
    {
        if (held == 0)
        {
            return null;
        }

        var traceId = TraceIdOf(traceparent);
        lock (gate)
        {
            if (!traceId.IsEmpty)
            {
                return byTrace.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(traceId, out var chain)
                    ? Drop(Innermost(chain, k => k.Service != service) ?? chain[^1], exact: true)
                    : null;
            }

            var guess = Innermost(open, k => k.Service != service && !Equals(k.From, from));
            return guess is null ? null : Drop(guess, exact: false);
        }
    }

    /// <summary>The trace id of a version-00 <c>traceparent</c> (<c>00-&lt;32 hex&gt;-&lt;16 hex&gt;-&lt;2 hex&gt;</c>), or empty.</summary>
    public static ReadOnlySpan<char> TraceIdOf(string? traceparent)
    {
        if (traceparent is not { Length: 55 } || !traceparent.StartsWith("00-", StringComparison.Ordinal) || traceparent[35] != '-' || traceparent[52] != '-')
        {
            return [];
        }

        var id = traceparent.AsSpan(3, 32);
        return id.ContainsAnyExcept("0123456789abcdef") || !id.ContainsAnyExcept('0') ? [] : id;
    }

    private static KeyDrop Drop(Keyed keyed, bool exact) => new(keyed.Space, keyed.Service, keyed.ServedBy, exact);

    // The latest-arrived request still being served, else the latest-arrived one, among those that match.
    private static Keyed? Innermost(List<Keyed> keyed, Func<Keyed, bool> matches)
    {
        Keyed? ended = null;
        for (var i = keyed.Count - 1; i >= 0; i--)
        {
            if (!matches(keyed[i]))
            {
                continue;
            }

            if (keyed[i].Ended < 0)
            {
                return keyed[i];
            }

            ended ??= keyed[i];
        }

        return ended;
    }

    private void Forget(long now)
    {
        while (remembered.TryPeek(out var oldest)
            && (remembered.Count >= Capacity || (oldest.Ended >= 0 && clock.GetElapsedTime(oldest.Ended, now) > Window) || clock.GetElapsedTime(oldest.Arrived, now) > 10 * Window))
        {
            remembered.Dequeue();
            open.Remove(oldest);
            if (oldest.TraceId is not null && byTrace.TryGetValue(oldest.TraceId, out var chain))
            {
                chain.Remove(oldest);
                if (chain.Count == 0)
                {
                    byTrace.Remove(oldest.TraceId);
                }
            }
        }
    }
}
