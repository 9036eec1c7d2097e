using System.Diagnostics;
using DevSpaces.Cli.Daemon;
using DevSpaces.Tests.Support;

namespace DevSpaces.Tests.Daemon;

/// <summary>When the daemon gives memory back: once per burst of messages, a quiet period after the last one.</summary>
public class IdleTrimTests
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Test]
    public async Task A_Burst_Of_Messages_Is_Trimmed_Once_The_Quiet_Period_After_The_Last_One_Passed()
    {
        var trims = new Signal<string>();
        await using var idle = new IdleTrim(Quiet, () => trims.Add(Stopwatch.GetTimestamp().ToString(System.Globalization.CultureInfo.InvariantCulture)));
        long last = 0;
        for (var i = 0; i < 5; i++)
        {
            idle.Activity();
            last = Stopwatch.GetTimestamp();
        }

        var trimmedAt = long.Parse(await trims.WaitForAsync(_ => true, Timeout, "a trim after the burst"), System.Globalization.CultureInfo.InvariantCulture);

        Assert.That(Stopwatch.GetElapsedTime(last, trimmedAt), Is.GreaterThanOrEqualTo(Quiet - TimeSpan.FromMilliseconds(20)), "not before the quiet period");
        Assert.That(trims.Count, Is.EqualTo(1), "one trim for the whole burst");
    }

    [Test]
    public async Task Each_Burst_After_A_Trim_Gets_One_More()
    {
        var trims = new Signal<string>();
        await using var idle = new IdleTrim(Quiet, () => trims.Add($"trim {trims.Count + 1}"));

        idle.Activity();
        await trims.WaitForAsync(t => t == "trim 1", Timeout, "the first trim");
        idle.Activity();
        idle.Activity();
        await trims.WaitForAsync(t => t == "trim 2", Timeout, "the second burst's trim");

        Assert.That(trims.Snapshot(), Is.EqualTo(new[] { "trim 1", "trim 2" }));
    }

    [Test]
    public async Task Disposing_Ends_The_Loop_Without_A_Trim_When_Nothing_Happened()
    {
        var trims = 0;
        var idle = new IdleTrim(Quiet, () => Interlocked.Increment(ref trims));

        await idle.DisposeAsync().AsTask().WaitAsync(Timeout);

        Assert.That(trims, Is.Zero);
    }
}
