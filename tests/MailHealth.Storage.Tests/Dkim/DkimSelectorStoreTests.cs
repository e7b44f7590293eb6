using MailHealth.Memory;
using MailHealth.Storage.Dkim;
using MailHealth.Storage.Tests.Infrastructure;
using MailHealth.Testing;
using Microsoft.Extensions.Time.Testing;

namespace MailHealth.Storage.Tests.Dkim;

/// <summary>The remembered DKIM selectors on Azurite: what sweeps and reports leave, and what a run reads.</summary>
public sealed class DkimSelectorStoreTests : IClassFixture<AzuriteAccount>
{
    private readonly AzuriteAccount azurite;
    private static readonly DateTimeOffset Day1 = TestClock.Yesterday;
    private static readonly DateTimeOffset Day2 = Day1.AddDays(1);
    private readonly FakeTimeProvider time = new(TestClock.Start);
    private readonly DkimSelectorStore store;

    public DkimSelectorStoreTests(AzuriteAccount azurite)
    {
        this.azurite = azurite;
        store = new(azurite.Account, time);
    }

    private static DkimSweepRecord Sweep(DateTimeOffset at, DkimSweepOutcome outcome = DkimSweepOutcome.Found, string domain = "example.com") =>
        new(domain, at, outcome, 17);

    [Fact]
    public async Task Get_NothingStored_IsEmpty()
    {
        var memory = await store.GetAsync("never-swept");

        Assert.Empty(memory.DkimSelectors);
        Assert.Null(memory.LastDkimSweep);
    }

    [Fact]
    public async Task SaveSweep_ThenGet_RemembersWhatWasFoundAndWhen()
    {
        await store.SaveSweepAsync("swept", Sweep(Day1), ["google", "selector1"]);

        var memory = await store.GetAsync("swept");

        Assert.Equal(["google", "selector1"], memory.DkimSelectors.Select(s => s.Selector));
        Assert.All(memory.DkimSelectors, s => Assert.Equal(Day1, s.DiscoveredAt));
        Assert.All(memory.DkimSelectors, s => Assert.Null(s.ReportedAt));
        Assert.Equal(Sweep(Day1), memory.LastDkimSweep);
    }

    [Fact]
    public async Task SaveSweep_ASelectorNoLongerFound_IsForgottenUnlessReported()
    {
        await store.SaveSweepAsync("rotated", Sweep(Day1), ["selector1", "selector2"]);
        await store.RecordReportedAsync("rotated", ["selector2"], Day1.AddHours(2));

        await store.SaveSweepAsync("rotated", Sweep(Day2), ["s1"]);

        var memory = await store.GetAsync("rotated");
        Assert.Equal(["s1", "selector2"], memory.DkimSelectors.Select(s => s.Selector));
        var reported = memory.DkimSelectors.Single(s => s.Selector == "selector2");
        Assert.Null(reported.DiscoveredAt);
        Assert.Equal(Day1.AddHours(2), reported.ReportedAt);
        Assert.Equal(Day2, memory.LastDkimSweep!.At);
    }

    [Fact]
    public async Task SaveSweep_ASelectorUnansweredThisTime_IsKeptAsItWas()
    {
        await store.SaveSweepAsync("unknown", Sweep(Day1), ["k1", "k2"]);

        await store.SaveSweepAsync("unknown", Sweep(Day2), ["k1"], unanswered: ["k2"]);

        var memory = await store.GetAsync("unknown");
        Assert.Equal([("k1", Day2), ("k2", Day1)], memory.DkimSelectors.Select(s => (s.Selector, s.DiscoveredAt!.Value)));
    }

    [Fact]
    public async Task SaveSweep_OfAnotherDomain_StartsAfresh()
    {
        await store.SaveSweepAsync("moved", Sweep(Day1), ["selector1"]);
        await store.RecordReportedAsync("moved", ["brand"], Day1);

        await store.SaveSweepAsync("moved", Sweep(Day2, domain: "example.net"), ["selector1"]);

        var memory = await store.GetAsync("moved");
        var selector = Assert.Single(memory.DkimSelectors);
        Assert.Equal("selector1", selector.Selector);
        Assert.Equal(Day2, selector.DiscoveredAt);
        Assert.Equal("example.net", memory.LastDkimSweep!.Domain);
    }

    [Fact]
    public async Task SaveSweep_Unanswered_ChangesNothing()
    {
        await store.SaveSweepAsync("flaky", Sweep(Day1), ["k1"]);

        await store.SaveSweepAsync("flaky", Sweep(Day2, DkimSweepOutcome.Unanswered), []);

        var memory = await store.GetAsync("flaky");
        Assert.Equal(["k1"], memory.DkimSelectors.Select(s => s.Selector));
        Assert.Equal(Day1, memory.LastDkimSweep!.At);
    }

    [Fact]
    public async Task RecordReported_KeepsTheLatestReportAndWhatTheSweepFound()
    {
        await store.SaveSweepAsync("both", Sweep(Day1), ["google"]);

        await store.RecordReportedAsync("both", ["Google", "brand."], Day2);
        await store.RecordReportedAsync("both", ["google"], Day1);

        var memory = await store.GetAsync("both");
        Assert.Equal(["brand", "google"], memory.DkimSelectors.Select(s => s.Selector));
        var google = memory.DkimSelectors.Single(s => s.Selector == "google");
        Assert.Equal(Day1, google.DiscoveredAt);
        Assert.Equal(Day2, google.ReportedAt);
        Assert.False(google.OnlyGuessed);
    }

    [Fact]
    public async Task DeleteOfTarget_ForgetsItAll()
    {
        await store.SaveSweepAsync("gone", Sweep(Day1), ["k1", "k2"]);

        await store.DeleteOfTargetAsync("gone");

        var memory = await store.GetAsync("gone");
        Assert.Empty(memory.DkimSelectors);
        Assert.Null(memory.LastDkimSweep);
    }

    [Fact]
    public async Task Get_AnotherProcessesWrite_IsSeenOnceThisProcessesCopyIsAnHourOld()
    {
        // Another process on the same account: the daily sweep on another Functions instance.
        var other = new DkimSelectorStore(azurite.Account, time);
        Assert.Empty((await store.GetAsync("elsewhere")).DkimSelectors);

        await other.SaveSweepAsync("elsewhere", Sweep(Day1), ["google"]);

        Assert.Empty((await store.GetAsync("elsewhere")).DkimSelectors);
        Assert.Equal(["google"], (await store.GetAsync("elsewhere", fresh: true)).DkimSelectors.Select(s => s.Selector));
        await other.RecordReportedAsync("elsewhere", ["s2"], Day1);
        time.Advance(DkimSelectorStore.KeptFor - TimeSpan.FromSeconds(1));
        Assert.Equal(["google"], (await store.GetAsync("elsewhere")).DkimSelectors.Select(s => s.Selector));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(["google", "s2"], (await store.GetAsync("elsewhere")).DkimSelectors.Select(s => s.Selector));
    }

    [Fact]
    public async Task Get_AfterThisProcessesOwnWrite_ReadsAgainAtOnce()
    {
        Assert.Empty((await store.GetAsync("here")).DkimSelectors);

        await store.RecordReportedAsync("here", ["selector1"], Day1);
        Assert.Equal(["selector1"], (await store.GetAsync("here")).DkimSelectors.Select(s => s.Selector));

        // The first sweep starts afresh (no sweep of this domain before): the reported one goes.
        await store.SaveSweepAsync("here", Sweep(Day2), ["k1"]);
        Assert.Equal(["k1"], (await store.GetAsync("here")).DkimSelectors.Select(s => s.Selector));

        await store.DeleteOfTargetAsync("here");
        Assert.Empty((await store.GetAsync("here")).DkimSelectors);
    }
}
