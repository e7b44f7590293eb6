using MailHealth.Monitor.Caching;

namespace MailHealth.Monitor.Tests.Caching;

/// <summary>Which copies a write of this process makes stale, and which it leaves alone.</summary>
public sealed class WriteClockTests
{
    [Fact]
    public void Wrote_MakesCopiesOfThatTargetStale_NotOthers()
    {
        var clock = new WriteClock();
        var before = clock.Now;

        clock.Wrote("shop");

        Assert.True(clock.WrittenSince(before, ReadScope.Target("shop")));
        Assert.False(clock.WrittenSince(before, ReadScope.Target("blog")));
        Assert.True(clock.WrittenSince(before, ReadScope.Page(["blog", "shop"])));
        Assert.False(clock.WrittenSince(before, ReadScope.TargetIds));
        Assert.True(clock.WrittenSince(before, ReadScope.Fleet));
    }

    [Fact]
    public void ACopyReadAfterTheWrite_IsCurrent()
    {
        var clock = new WriteClock();
        clock.Wrote("shop");

        var after = clock.Now;

        Assert.False(clock.WrittenSince(after, ReadScope.Target("shop")));
        Assert.False(clock.WrittenSince(after, ReadScope.Fleet));
    }

    [Fact]
    public void AddedOrRemoved_MakesEveryListOfTargetsStale()
    {
        var clock = new WriteClock();
        var before = clock.Now;

        clock.AddedOrRemoved("new");

        Assert.True(clock.WrittenSince(before, ReadScope.TargetIds));
        Assert.True(clock.WrittenSince(before, ReadScope.Page(["blog", "shop"])));
        Assert.True(clock.WrittenSince(before, ReadScope.Target("new")));
        Assert.False(clock.WrittenSince(before, ReadScope.Target("shop")));
    }

    [Fact]
    public void WroteEverything_MakesEveryCopyStale()
    {
        var clock = new WriteClock();
        var before = clock.Now;

        clock.WroteEverything();

        Assert.True(clock.WrittenSince(before, ReadScope.Target("shop")));
        Assert.True(clock.WrittenSince(before, ReadScope.TargetIds));
        Assert.False(clock.WrittenSince(clock.Now, ReadScope.Target("shop")));
    }

    [Fact]
    public void WroteMonitorState_MakesTheMonitorsOwnStateStale_NotTheTargets()
    {
        var clock = new WriteClock();
        var before = clock.Now;

        clock.WroteMonitorState();

        Assert.True(clock.WrittenSince(before, ReadScope.Monitor));
        Assert.False(clock.WrittenSince(before, ReadScope.Fleet));
        Assert.False(clock.WrittenSince(before, ReadScope.Target("shop")));

        // A target's run leaves the monitor's state alone (its copy goes with its short age).
        var after = clock.Now;
        clock.Wrote("shop");
        Assert.False(clock.WrittenSince(after, ReadScope.Monitor));
    }
}
