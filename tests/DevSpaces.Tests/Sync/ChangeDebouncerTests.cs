using DevSpaces.Core.Sync;

namespace DevSpaces.Tests.Sync;

public sealed class ChangeDebouncerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset At(int milliseconds) => T0.AddMilliseconds(milliseconds);

    [Test]
    public void Nothing_Is_Due_Without_Hints()
    {
        var debouncer = new ChangeDebouncer(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1));
        Assert.That(debouncer.DueAt, Is.Null);
        Assert.That(debouncer.TakeIfDue(At(5000)), Is.Null);
    }

    [Test]
    public void A_Burst_Is_Due_Once_It_Went_Quiet_And_Comes_As_One_Coalesced_Rescan()
    {
        var debouncer = new ChangeDebouncer(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1));
        debouncer.Hint("src/a", At(0));
        debouncer.Hint("src", At(50));
        debouncer.Hint("src/b/c", At(90));
        debouncer.Hint("web", At(120));

        Assert.That(debouncer.TakeIfDue(At(200)), Is.Null, "a hint came 80 ms ago");
        Assert.That(debouncer.DueAt, Is.EqualTo(At(220)));
        Assert.That(debouncer.TakeIfDue(At(220)), Is.EqualTo(new[] { "src", "web" }));
        Assert.That(debouncer.DueAt, Is.Null);
    }

    [Test]
    public void A_Burst_That_Never_Goes_Quiet_Is_Due_After_The_Longest_Delay()
    {
        var debouncer = new ChangeDebouncer(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1));
        for (var t = 0; t <= 1000; t += 50)
        {
            debouncer.Hint($"f{t}", At(t));
        }

        Assert.That(debouncer.DueAt, Is.EqualTo(At(1000)));
        Assert.That(debouncer.TakeIfDue(At(1000)), Has.Count.EqualTo(21));
        debouncer.Hint("late", At(1010));
        Assert.That(debouncer.DueAt, Is.EqualTo(At(1110)), "a new window starts with the next hint");
    }

    [Test]
    public void A_Root_Hint_Covers_Every_Folder()
    {
        var debouncer = new ChangeDebouncer(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1));
        debouncer.Hint("a/b", At(0));
        debouncer.Hint("", At(10));
        Assert.That(debouncer.TakeIfDue(At(500)), Is.EqualTo(new[] { "" }));
    }
}
