using DevSpaces.ClusterTests.Support;
using DevSpaces.Contracts;
using System.Collections.Concurrent;
using DevSpaces.Core.Connect;

namespace DevSpaces.ClusterTests.Connect;

/// <summary>Collects a session's events and waits for one of a kind.</summary>
public sealed class EventRecorder
{
    private readonly ConcurrentQueue<ConnectEvent> events = new();

    public void Add(ConnectEvent e) => events.Enqueue(e);

    public IReadOnlyList<ConnectEvent> All => [.. events];

    public string Describe() => string.Join("\n", events.Select(e => $"{e.Time:HH:mm:ss.fff} {e.Kind}: {e.Message}"));

    public async Task<ConnectEvent> WaitForAsync(ConnectEventKind kind, TimeSpan timeout, int after = 0)
    {
        ConnectEvent? found = null;
        await ClusterWaits.ConditionAsync(() => Task.FromResult((found = events.Skip(after).FirstOrDefault(e => e.Kind == kind)) != null), timeout, () => $"a {kind} event; got:\n{Describe()}");
        return found!;
    }
}
