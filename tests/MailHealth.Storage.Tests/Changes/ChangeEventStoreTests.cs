using MailHealth.Changes;
using MailHealth.Runs;
using MailHealth.Storage.Changes;
using MailHealth.Storage.Tests.Infrastructure;

namespace MailHealth.Storage.Tests.Changes;

public sealed class ChangeEventStoreTests(AzuriteAccount azurite) : IClassFixture<AzuriteAccount>
{
    private readonly ChangeEventStore store = new(azurite.Account);

    [Fact]
    public async Task AddAsync_ThenList_RoundTripsNewestFirst()
    {
        var events = new[] { Change("changes-a", 1, "spf"), Change("changes-a", 3, "mx"), Change("changes-a", 2, "dmarc") };

        await store.AddAsync(events);

        var page = await store.ListAsync(new ChangeEventQuery { TargetId = "changes-a" });
        Assert.Equal([events[1], events[2], events[0]], page.Items);
    }

    [Fact]
    public async Task AddAsync_SameRunTwice_KeepsOneEventPerItem()
    {
        var change = Change("changes-b", 1, "spf");
        await store.AddAsync([change]);
        await store.AddAsync([change with { At = change.At.AddSeconds(30) }]);

        Assert.Single((await store.ListAsync(new ChangeEventQuery { TargetId = "changes-b" })).Items);
    }

    [Fact]
    public async Task ListAsync_TimeRange_IsInclusive()
    {
        await store.AddAsync([.. Enumerable.Range(0, 8).Select(i => Change("changes-c", i, "spf"))]);

        var page = await store.ListAsync(new ChangeEventQuery
        {
            TargetId = "changes-c",
            From = TestReports.RunAt("changes-c", 2).Slot,
            To = TestReports.RunAt("changes-c", 5).Slot,
        });

        Assert.Equal([5, 4, 3, 2], page.Items.Select(Index));
    }

    [Fact]
    public async Task ListAsync_AcrossTargets_ReadsTheIndexNewestFirst()
    {
        await store.AddAsync([Change("changes-d1", 100, "mx"), Change("changes-d2", 101, "spf"), Change("changes-d1", 102, "tls-rpt")]);

        var page = await store.ListAsync(new ChangeEventQuery { From = TestReports.RunAt("x", 100).Slot, To = TestReports.RunAt("x", 102).Slot });

        Assert.Equal([("changes-d1", 102), ("changes-d2", 101), ("changes-d1", 100)], page.Items.Select(e => (e.TargetId, Index(e))));
    }

    [Fact]
    public async Task AddAsync_LongBeforeAndAfter_AreKeptWhole()
    {
        var policy = string.Concat(Enumerable.Range(0, 5000).Select(i => $"mx: host{i}.example.com\n"));
        var change = Change("changes-e", 1, "mta-sts-policy") with { Before = policy, After = policy + "mx: one-more.example.com\n" };

        await store.AddAsync([change]);

        Assert.Equal(change, Assert.Single((await store.ListAsync(new ChangeEventQuery { TargetId = "changes-e" })).Items));
    }

    [Fact]
    public async Task PurgeAsync_RemovesOnlyOlderEvents()
    {
        await store.AddAsync([.. Enumerable.Range(0, 5).Select(i => Change("changes-f", 200 + i, "spf"))]);
        var cutOff = TestReports.RunAt("changes-f", 202).Slot;

        var deleted = await store.PurgeAsync("changes-f", cutOff) + await store.PurgeIndexAsync(cutOff);

        Assert.True(deleted >= 4);
        Assert.Equal([204, 203, 202], (await store.ListAsync(new ChangeEventQuery { TargetId = "changes-f" })).Items.Select(Index));
        Assert.DoesNotContain((await store.ListAsync(new ChangeEventQuery { To = cutOff.AddSeconds(-1) })).Items, e => e.TargetId == "changes-f");
    }

    [Fact]
    public async Task ListAsync_Paging_WithContinuation()
    {
        await store.AddAsync([.. Enumerable.Range(0, 5).Select(i => Change("changes-g", 300 + i, "spf"))]);

        var first = await store.ListAsync(new ChangeEventQuery { TargetId = "changes-g", PageSize = 3 });
        var second = await store.ListAsync(new ChangeEventQuery { TargetId = "changes-g", PageSize = 3, ContinuationToken = first.ContinuationToken });

        Assert.Equal([304, 303, 302, 301, 300], first.Items.Concat(second.Items).Select(Index));
    }

    private static ChangeEvent Change(string target, int slot, string item)
    {
        var runId = TestReports.RunAt(target, slot);
        return new ChangeEvent(target, item, $"v=before {slot}", $"v=after {slot}", $"{item} changed", runId.Slot.AddSeconds(8), runId.ToString());
    }

    private static int Index(ChangeEvent change) => (int)((ChangeEventStore.SlotOf(change) - TestReports.Epoch).TotalMinutes / 5);
}
