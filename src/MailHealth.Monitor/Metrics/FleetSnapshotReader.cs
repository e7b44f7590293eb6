using MailHealth.Alerts;
using MailHealth.Storage.Alerts;
using MailHealth.Storage.Latest;
using MailHealth.Storage.Queues;
using MailHealth.Storage.Targets;
using MailHealth.Targets;

namespace MailHealth.Monitor.Metrics;

/// <summary>
/// Reads a <see cref="FleetSnapshot"/> from storage: the targets partition, the latest-status
/// table in one scan, the open-alert index and both queues' approximate counts. It costs about
/// one request per hundred targets and reads every target's check summaries, so callers cache it
/// (serve: a few seconds).
/// </summary>
public sealed class FleetSnapshotReader(
    TargetStore targets,
    LatestStatusStore latest,
    AlertStore alerts,
    ProbeQueue probes,
    NotificationQueue notifications,
    TimeProvider time)
{
    public async Task<FleetSnapshot> ReadAsync(CancellationToken cancellationToken)
    {
        var all = new List<Target>();
        await foreach (var target in targets.AllAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            all.Add(target);
        }

        var latestOf = await latest.GetAllAsync(all.Select(t => t.Id), cancellationToken).ConfigureAwait(false);
        var fleet = all.Select(t => new FleetTarget(t, latestOf.GetValueOrDefault(t.Id))).ToArray();

        var open = new List<Alert>();
        string? continuation = null;
        do
        {
            var page = await alerts.ListByStatusAsync(AlertStatus.Open, 1000, continuation, cancellationToken).ConfigureAwait(false);
            open.AddRange(page.Items);
            continuation = page.ContinuationToken;
        }
        while (continuation is not null);

        QueueDepth[] queues =
        [
            await probes.GetDepthAsync(cancellationToken).ConfigureAwait(false),
            await notifications.GetDepthAsync(cancellationToken).ConfigureAwait(false),
        ];
        return new FleetSnapshot(time.GetUtcNow(), fleet, open, queues);
    }
}
