using Azure.Data.Tables;
using MailHealth.Storage.Configuration;
using MailHealth.Storage.Tables;

namespace MailHealth.Storage.Heartbeats;

/// <summary>
/// The monitor's own pulse, table <c>{prefix}heartbeats</c>: one row per kind (now the schedule's
/// tick), overwritten on each beat, so <c>GET /api/health</c> can say when the schedule last ran
/// whichever process or Functions instance ran it.
/// </summary>
public sealed class HeartbeatStore(StorageAccount account)
{
    private const string Partition = "heartbeat";
    private const string ScheduleRow = "schedule";
    private readonly TableClient table = account.Table(StorageTables.Heartbeats);

    public async Task RecordScheduleAsync(ScheduleHeartbeat beat, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(beat);
        var entity = new TableEntity(Partition, ScheduleRow)
        {
            ["At"] = beat.At,
            ["Slot"] = beat.Slot,
            ["Queued"] = beat.Queued,
        };
        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>The last schedule tick; null when the schedule never ran on this storage.</summary>
    public async Task<ScheduleHeartbeat?> GetScheduleAsync(CancellationToken cancellationToken = default)
    {
        var entity = await TableOperations.GetAsync(table, Partition, ScheduleRow, cancellationToken);
        return entity is null
            ? null
            : new ScheduleHeartbeat(entity.GetDateTimeOffset("At") ?? default, entity.GetDateTimeOffset("Slot") ?? default, entity.GetInt32("Queued") ?? 0);
    }
}
