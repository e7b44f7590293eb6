using Azure;
using Azure.Data.Tables;
using MailHealth.Storage.Configuration;
using MailHealth.Storage.Tables;

namespace MailHealth.Storage.Heartbeats;

/// <summary>
/// The monitor's own pulse, table <c>{prefix}heartbeats</c>: one row per kind (now the schedule's
/// tick), overwritten on each beat, so <c>GET /api/health/detail</c> can say when the schedule last ran
/// whichever process or Functions instance ran it; and the claim of the schedule's current slot,
/// so that of several processes ticking the same slot only the first queues its probes.
/// </summary>
public sealed class HeartbeatStore(StorageAccount account)
{
    private const string Partition = "heartbeat";
    private const string ScheduleRow = "schedule";
    private const string SlotClaimRow = "schedule-slot";
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

    /// <summary>
    /// Claims <paramref name="slot"/> for the caller's tick: true for the first caller of a slot,
    /// false when that slot (or a later one) was claimed already, by this process or another. One
    /// row holds the latest claimed slot; it moves forward only, by ETag, so two processes racing
    /// for a slot cannot both win, and a process whose clock lags cannot take a slot back.
    /// </summary>
    public async Task<bool> TryClaimSlotAsync(DateTimeOffset slot, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var claim = await TableOperations.GetAsync(table, Partition, SlotClaimRow, cancellationToken);
            if (claim?.GetDateTimeOffset("Slot") is { } claimed && claimed >= slot)
            {
                return false;
            }

            var entity = new TableEntity(Partition, SlotClaimRow) { ["Slot"] = slot, ["ClaimedAt"] = now };
            try
            {
                if (claim is null)
                {
                    await table.AddEntityAsync(entity, cancellationToken);
                }
                else
                {
                    await table.UpdateEntityAsync(entity, claim.ETag, TableUpdateMode.Replace, cancellationToken);
                }

                return true;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // Another tick wrote the claim between our read and our write: read it again.
            }
        }
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
