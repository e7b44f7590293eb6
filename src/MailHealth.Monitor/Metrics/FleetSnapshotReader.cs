using MailHealth.Alerts;
using MailHealth.Storage.Alerts;
using MailHealth.Storage.Latest;
using MailHealth.Storage.Queues;
using MailHealth.Storage.Targets;
using MailHealth.Targets;

namespace MailHealth.Monitor.Metrics;

/// <summary>
/// Reads a <see cref="FleetSnapshot"/> from storage: the targets partition, the latest statuses,
/// the open-alert index and both queues' approximate counts. A first read scans the latest-status
/// table whole (about one request per hundred targets, every check summary); a read given the
/// previous snapshot scans only the run rows and reads again the targets that ran since
/// (<see cref="LatestStatusStore.GetAllAsync(IEnumerable{string}, IReadOnlyDictionary{string, LatestStatus}?, CancellationToken)"/>).
/// Callers cache it (serve: a few seconds).
/// </summary>
public sealed class FleetSnapshotReader(
    TargetStore targets,
    LatestStatusStore latest,
    AlertStore alerts,
    ProbeQueue probes,
    NotificationQueue notifications,
    TimeProvider time)
{
    public Task<FleetSnapshot> ReadAsync(CancellationToken cancellationToken) => ReadAsync(null, cancellationToken);

    /// <summary>Reads the fleet, keeping the latest statuses of <paramref name="previous"/> that have not changed since.</summary>
    public async Task<FleetSnapshot> ReadAsync(FleetSnapshot? previous, CancellationToken cancellationToken)
    {
        var all = new List<Target>();
        await foreach (var target in targets.AllAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            all.Add(target);
        }

        var known = previous?.Targets.Where(t => t.Latest is not null).ToDictionary(t => t.Target.Id, t => t.Latest!, StringComparer.Ordinal);
        var latestOf = await latest.GetAllAsync(all.Select(t => t.Id), known, cancellationToken).ConfigureAwait(false);
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
