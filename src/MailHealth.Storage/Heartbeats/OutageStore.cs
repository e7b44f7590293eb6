using Azure.Data.Tables;
using MailHealth.Storage.Availability;
using MailHealth.Storage.Configuration;
using MailHealth.Storage.Keys;
using MailHealth.Storage.Tables;

namespace MailHealth.Storage.Heartbeats;

/// <summary>
/// What storage outages cost, kept in the heartbeats table once storage answers again: partition
/// <c>outage</c>, one row per outage a process saw (row key: its start, newest first, and the
/// process), and partition <c>lostslot</c>, one row per schedule slot whose tick failed (row key:
/// the slot, newest first; processes that lost the same slot write the same row).
/// </summary>
public sealed class OutageStore(StorageAccount account)
{
    private const string OutagePartition = "outage";
    private const string LostSlotPartition = "lostslot";

    // Two processes that saw the same outage keep a row each: their times differ a little anyway.
    private readonly string process = Guid.NewGuid().ToString("N")[..8];
    private readonly TableClient table = account.Table(StorageTables.Heartbeats);

    public async Task RecordOutagesAsync(IReadOnlyList<StorageOutage> outages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outages);
        var actions = outages.Select(o => Upsert(new TableEntity(OutagePartition, ReverseTime.Key(o.Since) + "-" + process)
        {
            ["Since"] = o.Since,
            ["Until"] = o.Until,
            ["Reason"] = o.Reason,
            ["Failures"] = o.Failures,
        }.WithoutNulls())).ToList();
        await TableOperations.SubmitAsync(table, actions, cancellationToken);
    }

    public async Task RecordLostSlotsAsync(IReadOnlyList<LostSlot> slots, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(slots);
        var actions = slots.Select(s => Upsert(new TableEntity(LostSlotPartition, ReverseTime.Key(s.Slot))
        {
            ["Slot"] = s.Slot,
            ["LostAt"] = s.LostAt,
            ["Reason"] = s.Reason,
        })).ToList();
        await TableOperations.SubmitAsync(table, actions, cancellationToken);
    }

    /// <summary>The newest <paramref name="count"/> outages recorded, newest first.</summary>
    public async Task<IReadOnlyList<StorageOutage>> ListOutagesAsync(int count, CancellationToken cancellationToken = default)
    {
        var page = await NewestAsync(OutagePartition, count, cancellationToken);
        return [.. page.Select(e => new StorageOutage(
            e.GetDateTimeOffset("Since") ?? default,
            e.GetDateTimeOffset("Until"),
            e.GetString("Reason") ?? "",
            e.GetInt32("Failures") ?? 0))];
    }

    /// <summary>The newest <paramref name="count"/> slots lost, newest first.</summary>
    public async Task<IReadOnlyList<LostSlot>> ListLostSlotsAsync(int count, CancellationToken cancellationToken = default)
    {
        var page = await NewestAsync(LostSlotPartition, count, cancellationToken);
        return [.. page.Select(e => new LostSlot(e.GetDateTimeOffset("Slot") ?? default, e.GetDateTimeOffset("LostAt") ?? default, e.GetString("Reason") ?? ""))];
    }

    /// <summary>Deletes the records of outages that started, and slots, before <paramref name="before"/>. Returns how many.</summary>
    public async Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        // Newest-first keys: everything older than the cut-off sorts at or after its key.
        var cut = ReverseTime.Key(before);
        var deleted = 0;
        foreach (var partition in new[] { OutagePartition, LostSlotPartition })
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey gt {cut}");
            deleted += await TableOperations.DeleteWhereAsync(table, filter, cancellationToken);
        }

        return deleted;
    }

    private async Task<IReadOnlyList<TableEntity>> NewestAsync(string partition, int count, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}");
        var page = await TableOperations.PageAsync(table, filter, count, null, null, cancellationToken);
        return page.Items;
    }

    private static TableTransactionAction Upsert(TableEntity entity) => new(TableTransactionActionType.UpsertReplace, entity);
}
