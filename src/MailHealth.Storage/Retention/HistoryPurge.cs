using MailHealth.Storage.Changes;
using MailHealth.Storage.Heartbeats;
using MailHealth.Storage.Notifications;
using MailHealth.Storage.Runs;
using MailHealth.Storage.Targets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MailHealth.Storage.Retention;

/// <summary>
/// Removes history older than a cut-off: per target, the run rows and change events before it
/// (key ranges of the target's partitions, newest-first keys put the old ones at the end), the
/// cross-target change index, outbox entries that are done, and the records of storage outages and
/// the schedule slots they cost. Alerts and their transitions are kept (they are few and are the
/// record of what happened).
/// </summary>
public sealed class HistoryPurge(
    TargetStore targets, RunStore runs, ChangeEventStore changes, OutboxStore outbox, OutageStore outages, ILogger<HistoryPurge>? logger = null)
{
    private readonly ILogger logger = logger ?? NullLogger<HistoryPurge>.Instance;

    /// <summary>Purges the targets in the targets table. A deleted target's history goes with <see cref="RunStore.DeleteHistoryAsync"/>, or pass its id to <see cref="PurgeTargetAsync"/>.</summary>
    public async Task<PurgeResult> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        var runEntities = 0;
        var changeEvents = 0;
        await foreach (var target in targets.AllAsync(cancellationToken: cancellationToken))
        {
            var (r, c) = await PurgeTargetAsync(target.Id, before, cancellationToken);
            runEntities += r;
            changeEvents += c;
        }

        changeEvents += await changes.PurgeIndexAsync(before, cancellationToken);
        var notifications = await outbox.PurgeAsync(before, cancellationToken);
        var outageRecords = await outages.PurgeAsync(before, cancellationToken);
        StorageLog.Purged(logger, before, runEntities, changeEvents, notifications, outageRecords);
        return new PurgeResult(runEntities, changeEvents, notifications, outageRecords);
    }

    public async Task<(int RunEntities, int ChangeEvents)> PurgeTargetAsync(string targetId, DateTimeOffset before, CancellationToken cancellationToken = default) =>
        (await runs.PurgeAsync(targetId, before, cancellationToken), await changes.PurgeAsync(targetId, before, cancellationToken));
}
