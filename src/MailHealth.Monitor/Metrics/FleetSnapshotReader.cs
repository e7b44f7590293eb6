using MailHealth.Alerts;
using MailHealth.Storage.Alerts;
using MailHealth.Storage.Latest;
using MailHealth.Storage.Queues;
using MailHealth.Storage.Targets;
using MailHealth.Targets;

namespace MailHealth.Monitor.Metrics;

/// <summary>
/// Reads a <see cref="FleetSnapshot"/> from storage: the targets partition, one latest-status
/// partition per target (a few at a time), the open-alert index and both queues' approximate
/// counts. It costs about one request per target, so callers cache it (serve: a few seconds).
/// </summary>
public sealed class FleetSnapshotReader(
    TargetStore targets,
    LatestStatusStore latest,
    AlertStore alerts,
    ProbeQueue probes,
    NotificationQueue notifications,
    TimeProvider time)
{
    /// <summary>Latest-status reads in flight at once: enough to hide latency, few enough not to crowd the account.</summary>
    private const int ParallelReads = 8;

    public async Task<FleetSnapshot> ReadAsync(CancellationToken cancellationToken)
    {
        var all = new List<Target>();
        await foreach (var target in targets.AllAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            all.Add(target);
        }

        var fleet = new FleetTarget[all.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, all.Count),
            new ParallelOptions { MaxDegreeOfParallelism = ParallelReads, CancellationToken = cancellationToken },
            async (i, ct) => fleet[i] = new FleetTarget(all[i], await latest.GetAsync(all[i].Id, ct).ConfigureAwait(false))).ConfigureAwait(false);

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
