using MailHealth.Monitor.Caching;
using MailHealth.Monitor.Metrics;
using MailHealth.Storage.Availability;
using MailHealth.Storage.Heartbeats;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailHealth.Monitor.Availability;

/// <summary>
/// What storage outages cost this process, kept in memory while storage is out and written to
/// storage (<see cref="OutageStore"/>) once it answers again: the outages
/// <see cref="StorageAvailability"/> saw end, and the schedule slots whose tick storage failed.
/// The detailed health reads both, the written and the not yet written.
/// </summary>
public sealed partial class OutageRecorder(
    StorageAvailability availability,
    OutageStore store,
    StorageDeadline deadline,
    IOptions<MonitorSettings> settings,
    MonitorInstruments instruments,
    WriteClock writes,
    TimeProvider time,
    ILogger<OutageRecorder> logger)
{
    /// <summary>Lost slots kept in memory at most: a day-long outage of one-minute slots, and then some.</summary>
    public const int MaxPendingSlots = 2000;

    private readonly Lock gate = new();
    private readonly SortedDictionary<DateTimeOffset, LostSlot> pending = [];

    /// <summary>Lost slots not written yet, oldest first.</summary>
    public IReadOnlyList<LostSlot> PendingSlots
    {
        get
        {
            lock (gate)
            {
                return [.. pending.Values];
            }
        }
    }

    /// <summary>The tick of <paramref name="slot"/> failed for storage: none of its probes, or not all, were queued.</summary>
    public void SlotLost(DateTimeOffset slot, string reason)
    {
        lock (gate)
        {
            // A second tick of the same slot that fails loses nothing more.
            if (!pending.TryAdd(slot, new LostSlot(slot, time.GetUtcNow(), reason)))
            {
                return;
            }

            if (pending.Count > MaxPendingSlots)
            {
                pending.Remove(pending.Keys.First());
            }
        }

        instruments.SlotLost();
        LogSlotLost(logger, slot, reason);
    }

    /// <summary>
    /// Writes the ended outages and lost slots not written yet, when storage answers; what cannot
    /// be written stays for the next time. True when nothing is left to write.
    /// </summary>
    public async Task<bool> RecordAsync(CancellationToken cancellationToken)
    {
        var outages = availability.Ended;
        var slots = PendingSlots;
        if (outages.Count == 0 && slots.Count == 0)
        {
            return true;
        }

        if (availability.Current is not null)
        {
            return false;
        }

        try
        {
            await deadline.RunAsync(
                settings.Value.StorageDeadline,
                async ct =>
                {
                    await store.RecordOutagesAsync(outages, ct).ConfigureAwait(false);
                    await store.RecordLostSlotsAsync(slots, ct).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (StorageUnavailableException e)
        {
            LogNotRecorded(logger, e.Message);
            return false;
        }

        availability.Recorded(outages);
        writes.WroteMonitorState();
        lock (gate)
        {
            foreach (var slot in slots)
            {
                pending.Remove(slot.Slot);
            }
        }

        LogRecorded(logger, outages.Count, slots.Count);
        return availability.Ended.Count == 0 && PendingSlots.Count == 0;
    }

    /// <summary>The newest <paramref name="count"/> outages and lost slots, newest first: those written and those still in memory.</summary>
    public async Task<(IReadOnlyList<StorageOutage> Outages, IReadOnlyList<LostSlot> LostSlots)> ReadAsync(int count, CancellationToken cancellationToken)
    {
        var outages = await store.ListOutagesAsync(count, cancellationToken).ConfigureAwait(false);
        var slots = await store.ListLostSlotsAsync(count, cancellationToken).ConfigureAwait(false);
        return (
            [.. outages.Concat(availability.Ended).Distinct().OrderByDescending(o => o.Since).Take(count)],
            [.. slots.Concat(PendingSlots).DistinctBy(s => s.Slot).OrderByDescending(s => s.Slot).Take(count)]);
    }

    [LoggerMessage(EventId = 2210, Level = LogLevel.Error, Message = "Schedule slot {Slot:o} lost: {Reason}; it is recorded once storage answers again")]
    private static partial void LogSlotLost(ILogger logger, DateTimeOffset slot, string reason);

    [LoggerMessage(EventId = 2211, Level = LogLevel.Information, Message = "Storage answers again: {Outages} outage(s) and {Slots} lost slot(s) recorded")]
    private static partial void LogRecorded(ILogger logger, int outages, int slots);

    [LoggerMessage(EventId = 2212, Level = LogLevel.Warning, Message = "Outages and lost slots could not be recorded yet: {Reason}")]
    private static partial void LogNotRecorded(ILogger logger, string reason);
}
