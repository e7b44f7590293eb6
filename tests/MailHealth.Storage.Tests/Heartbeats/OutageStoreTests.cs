using MailHealth.Storage.Availability;
using MailHealth.Storage.Heartbeats;
using MailHealth.Storage.Tests.Infrastructure;

namespace MailHealth.Storage.Tests.Heartbeats;

/// <summary>The record of storage outages and the slots they cost: newest first, one row per slot, purged with the history.</summary>
public sealed class OutageStoreTests(AzuriteAccount azurite) : IClassFixture<AzuriteAccount>
{
    private static readonly DateTimeOffset Noon = new(2024, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Record_ThenList_NewestFirst_AndASlotLostTwiceIsOneRow()
    {
        var store = new OutageStore(azurite.Account);
        await store.RecordOutagesAsync(
        [
            new StorageOutage(Noon, Noon.AddMinutes(3), "storage did not answer within 10 s", 7),
            new StorageOutage(Noon.AddHours(1), Noon.AddHours(1).AddMinutes(1), "storage answered 503 ServerBusy", 2),
        ]);
        await store.RecordLostSlotsAsync([new LostSlot(Noon, Noon.AddSeconds(10), "storage did not answer within 10 s")]);
        // Another process lost the same slot: the same row.
        await new OutageStore(azurite.Account).RecordLostSlotsAsync(
        [
            new LostSlot(Noon, Noon.AddSeconds(12), "storage did not answer within 10 s"),
            new LostSlot(Noon.AddMinutes(5), Noon.AddMinutes(5).AddSeconds(10), "storage did not answer within 10 s"),
        ]);

        var outages = await store.ListOutagesAsync(10);
        var slots = await store.ListLostSlotsAsync(10);

        // The purge test's rows are years older: they come after these.
        Assert.Equal([Noon.AddHours(1), Noon], outages.Take(2).Select(o => o.Since));
        Assert.Equal(new StorageOutage(Noon, Noon.AddMinutes(3), "storage did not answer within 10 s", 7), outages[1]);
        Assert.Equal([Noon.AddMinutes(5), Noon], slots.Take(2).Select(s => s.Slot));
        Assert.Single(await store.ListLostSlotsAsync(1));
    }

    [Fact]
    public async Task Purge_RemovesWhatStartedBeforeTheCut()
    {
        var store = new OutageStore(azurite.Account);
        var old = Noon.AddYears(-10);
        var kept = Noon.AddYears(-6);
        await store.RecordOutagesAsync([new StorageOutage(old, old.AddMinutes(1), "old", 1), new StorageOutage(kept, null, "kept", 1)]);
        await store.RecordLostSlotsAsync([new LostSlot(old, old, "old"), new LostSlot(kept, kept, "kept")]);

        var deleted = await store.PurgeAsync(Noon.AddYears(-8));

        Assert.Equal(2, deleted);
        Assert.DoesNotContain(await store.ListOutagesAsync(100), o => o.Reason == "old");
        Assert.DoesNotContain(await store.ListLostSlotsAsync(100), s => s.Reason == "old");
        Assert.Contains(await store.ListOutagesAsync(100), o => o.Reason == "kept" && o.Until is null);
        Assert.Contains(await store.ListLostSlotsAsync(100), s => s.Reason == "kept");
    }
}
