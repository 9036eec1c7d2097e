using System.Collections.Concurrent;
using DevSpaces.ClusterTests.Support;
using DevSpaces.Contracts;
using DevSpaces.Core.Up;

namespace DevSpaces.ClusterTests.Up;

/// <summary>Waits for a service that is up to answer on its forwarded URL, and describes a session's events for a failure.</summary>
internal static class UpAnswers
{
    /// <summary>GETs <paramref name="path"/> on <paramref name="url"/> until a 200 answer satisfies <paramref name="wanted"/>; that answer.</summary>
    public static async Task<string> UntilAsync(string url, string path, Func<string, bool> wanted, ConcurrentQueue<UpEvent> events)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        string? last = null;
        await ClusterWaits.ConditionAsync(
            async () =>
            {
                try
                {
                    last = await http.GetStringAsync(new Uri(new Uri(url), path));
                    return wanted(last);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    last = e.Message;
                    return false;
                }
            },
            TimeSpan.FromSeconds(90),
            () => $"{url} answers {path} as wanted (last: {last ?? "none"}); events: {Describe(events)}");
        return last!;
    }

    public static string Describe(IEnumerable<UpEvent> events) =>
        string.Join(" | ", events.Where(e => e.Kind is not UpEventKind.Build).TakeLast(30).Select(e => $"{e.Kind}: {e.Message}"));
}
