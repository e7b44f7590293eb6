using MailHealth.Monitor.Caching;
using MailHealth.Monitor.ReceiverReports;
using MailHealth.Monitor.Tests.Runs;
using MailHealth.Storage.Targets;
using MailHealth.Targets;
using MailHealth.Testing;
using Microsoft.Extensions.Time.Testing;

namespace MailHealth.Monitor.Tests.ReceiverReports;

/// <summary>Ingestion's map of domains to targets on Azurite: one read serves many reports, and what changes is seen in time.</summary>
public sealed class DomainTargetsTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(TestClock.Start);
    private MonitorHarness? _monitor;

    private MonitorHarness Monitor => _monitor!;

    public async Task InitializeAsync() => _monitor = await MonitorHarness.StartAsync(time: _time);

    public async Task DisposeAsync() => await Monitor.DisposeAsync();

    /// <summary>Stores a target as another process would: this one's write clock does not tick.</summary>
    private Task StoreElsewhereAsync(string id, string domain) =>
        Monitor.Get<TargetStore>().UpsertAsync(TargetValidator.Validate(new TargetDefinition { Id = id, Domain = domain, Ports = ["25"] }).Target!);

    [Fact]
    public async Task TargetsOfADomain_InIdOrder_OthersDomainsApart()
    {
        await StoreElsewhereAsync("b-shop", "shop.example");
        await StoreElsewhereAsync("a-shop", "shop.example");
        await StoreElsewhereAsync("blog", "blog.example");
        var domains = Monitor.Get<DomainTargets>();

        Assert.Equal(["a-shop", "b-shop"], await domains.OfAsync("shop.example", CancellationToken.None));
        Assert.Equal(["blog"], await domains.OfAsync("blog.example", CancellationToken.None));
        Assert.Empty(await domains.OfAsync("nobody.example", CancellationToken.None));
    }

    [Fact]
    public async Task TargetAddedByAnotherProcess_IsSeenOnceTheReadIsAMinuteOld_OneAddedHere_AtOnce()
    {
        var domains = Monitor.Get<DomainTargets>();
        Assert.Empty(await domains.OfAsync("later.example", CancellationToken.None));

        await StoreElsewhereAsync("elsewhere", "later.example");
        var before = await domains.OfAsync("later.example", CancellationToken.None);
        _time.Advance(DomainTargets.MaxAge);
        var after = await domains.OfAsync("later.example", CancellationToken.None);
        await StoreElsewhereAsync("here", "later.example");
        Monitor.Get<WriteClock>().AddedOrRemoved("here");
        var added = await domains.OfAsync("later.example", CancellationToken.None);

        Assert.Empty(before);
        Assert.Equal(["elsewhere"], after);
        Assert.Equal(["elsewhere", "here"], added);
    }
}
