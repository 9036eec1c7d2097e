using System.Collections.Concurrent;
using System.Diagnostics;
using k8s;

namespace DevSpaces.ClusterTests.Connect;

/// <summary>
/// A client sending a steady stream of GET requests through the sample's front end (its ClusterIP, as a client in the
/// cluster would), each on its own schedule so a slow answer does not slow the stream; it records every request that
/// did not get a 200, with the phase of the test it fell into.
/// </summary>
public sealed class RequestStream : IAsyncDisposable
{
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly CancellationTokenSource stop = new();
    private readonly ConcurrentBag<Task> requests = [];
    private readonly ConcurrentQueue<Failure> failures = new();
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly Task loop;
    private int sent;

    private RequestStream(string url, int perSecond)
    {
        loop = SendAsync(url, TimeSpan.FromSeconds(1.0 / perSecond));
    }

    /// <summary>What the test is doing now; failures are labelled with it.</summary>
    public string Phase { get; set; } = "start";

    public int Sent => Volatile.Read(ref sent);

    /// <summary>The time on the stream's clock (what a failure's start and end are measured on).</summary>
    public TimeSpan Now => clock.Elapsed;

    /// <summary>A request that did not get a 200: when it began and ended, the phase it began in, and what it got.</summary>
    public sealed record Failure(TimeSpan Start, TimeSpan End, string Phase, string Text)
    {
        public bool Spans(TimeSpan instant) => Start <= instant && End >= instant;

        public override string ToString() => $"{Start.TotalSeconds:0.00}-{End.TotalSeconds:0.00} s ({Phase}): {Text}";
    }

    public static async Task<RequestStream> StartAsync(SampleSpace space, string path, int perSecond)
    {
        var frontend = await space.Client.CoreV1.ReadNamespacedServiceAsync("frontend", space.Namespace);
        return new RequestStream($"http://{frontend.Spec.ClusterIP}{path}", perSecond);
    }

    private async Task SendAsync(string url, TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token))
            {
                Interlocked.Increment(ref sent);
                requests.Add(GetAsync(url));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task GetAsync(string url)
    {
        var phase = Phase;
        var started = clock.Elapsed;
        try
        {
            using var response = await http.GetAsync(url);
            if ((int)response.StatusCode != 200)
            {
                var body = await response.Content.ReadAsStringAsync();
                // The front end's answer names the cause at its end ("error":"api at … unreachable: ECONNRESET").
                failures.Enqueue(new Failure(started, clock.Elapsed, phase, $"{(int)response.StatusCode} {body[Math.Max(0, body.Length - 200)..]}"));
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            failures.Enqueue(new Failure(started, clock.Elapsed, phase, $"{e.GetType().Name}: {e.Message}"));
        }
    }

    /// <summary>Stops sending, waits for the answers still outstanding, and returns the failures in the order they began.</summary>
    public async Task<IReadOnlyList<Failure>> StopAsync()
    {
        await stop.CancelAsync();
        await loop;
        await Task.WhenAll(requests);
        return [.. failures.OrderBy(f => f.Start)];
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        http.Dispose();
        stop.Dispose();
    }
}
