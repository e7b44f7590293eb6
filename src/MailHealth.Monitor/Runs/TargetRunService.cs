using MailHealth.Alerts;
using MailHealth.Changes;
using MailHealth.Checks;
using MailHealth.Egress;
using MailHealth.Monitor.Caching;
using MailHealth.Monitor.Dkim;
using MailHealth.Monitor.Metrics;
using MailHealth.Monitor.Notifications;
using MailHealth.Monitor.ReceiverReports;
using MailHealth.Notifications;
using MailHealth.Reports;
using MailHealth.Runs;
using MailHealth.Storage.Alerts;
using MailHealth.Storage.Availability;
using MailHealth.Storage.Changes;
using MailHealth.Storage.Latest;
using MailHealth.Storage.Notifications;
using MailHealth.Storage.Queues;
using MailHealth.Storage.Runs;
using MailHealth.Storage.Tables;
using MailHealth.Storage.Targets;
using MailHealth.Targets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailHealth.Monitor.Runs;

/// <summary>
/// What both hosts do with one probe request (docs/architecture.md, "The flow of a run"): run the target's checks, judge
/// port-25 egress against the fleet, store the run and the latest status, record what changed,
/// move the alert state machine, and put the resulting notifications in the outbox and on the
/// queue. Every step is keyed by the run id (target + slot), so a repeated message rewrites the
/// same rows and queues the same notifications (the outbox keeps one of each) instead of adding.
/// Its reads and writes wait for storage at most <see cref="MonitorSettings.StorageDeadline"/>
/// (the checks have their own deadline): then the run fails as a storage outage and its message is
/// retried, stored once when storage answers again.
/// </summary>
public sealed class TargetRunService(
    TargetStore targets,
    DkimSweepService dkimSweeps,
    DomainChecker checker,
    ReceiverFindingsCheck receivers,
    IEgressSignalWindow egress,
    RunStore runs,
    LatestStatusStore latest,
    FingerprintStore fingerprints,
    ChangeEventStore changes,
    AlertStore alerts,
    OutboxStore outbox,
    NotificationQueue notificationQueue,
    StorageDeadline deadline,
    NotificationRouter router,
    WriteClock writes,
    IOptions<MonitorSettings> settings,
    IOptions<AlertSettings> alertSettings,
    TimeProvider time,
    MonitorInstruments instruments,
    ILogger<TargetRunService> logger)
{
    /// <summary>Attempts at the alert write when another worker changed the target's alerts in between.</summary>
    private const int AlertAttempts = 5;

    /// <exception cref="StorageUnavailableException">Storage failed the run; nothing of it is lost while its message is retried.</exception>
    public async Task<TargetRunOutcome> RunAsync(ProbeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var runId = new RunId(request.TargetId, request.Slot);
        var limit = settings.Value.StorageDeadline;
        var stored = await deadline.RunAsync(limit, ct => targets.GetAsync(request.TargetId, ct), cancellationToken).ConfigureAwait(false);
        if (stored is null || !stored.Target.Enabled)
        {
            var reason = stored is null ? "the target no longer exists" : "the target is disabled";
            MonitorLog.RunSkipped(logger, request.TargetId, reason);
            return new TargetRunOutcome { RunId = runId, SkippedBecause = reason };
        }

        // What the monitor remembers of the target (its DKIM selectors), swept first on its first run.
        var memory = await dkimSweeps.RecallAsync(stored.Target, cancellationToken).ConfigureAwait(false);
        var report = await checker.RunAsync(stored.Target, memory, cancellationToken).ConfigureAwait(false);
        // What receivers' reports say of the target, beside what the checks saw (docs/findings.md, "Receivers' reports").
        report = await receivers.AddToAsync(stored.Target, report, cancellationToken).ConfigureAwait(false);
        return await deadline.RunAsync(limit, ct => StoreAsync(runId, stored.Target, report, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Judges egress against the fleet, then stores the run and all that follows from it.</summary>
    private async Task<TargetRunOutcome> StoreAsync(RunId runId, Target target, Report report, CancellationToken cancellationToken)
    {
        var fleet = await egress.RecordAndReadAsync(target.Id, EgressAnalysis.SignalsOf(report), cancellationToken).ConfigureAwait(false);
        report = EgressAnalysis.Apply(report, fleet, settings.Value.EgressMinimumTargets);

        IReadOnlyList<ChangeEvent> changeEvents;
        IReadOnlyList<AlertTransition> transitions;
        try
        {
            await runs.WriteAsync(runId, report, cancellationToken).ConfigureAwait(false);
            await latest.UpdateAsync(runId, report, cancellationToken).ConfigureAwait(false);
            changeEvents = await RecordChangesAsync(runId, report, cancellationToken).ConfigureAwait(false);
            transitions = await EvaluateAlertsAsync(runId, report, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // What this process keeps of the target (the API's read cache) goes now, after the run,
            // its status, events and alerts are written, or some of them before a failure.
            writes.Wrote(runId.TargetId);
        }

        var notifications = transitions
            .Where(t => t.Kind is AlertTransitionKind.Opened or AlertTransitionKind.Resolved)
            .SelectMany(t => router.Route(t, target, target.Tags))
            .Concat(changeEvents.SelectMany(c => router.Route(c, target, target.Tags)))
            .ToList();
        var queued = await QueueAsync(notifications, cancellationToken).ConfigureAwait(false);

        instruments.RunStored(report.Status, report.FinishedAt - report.StartedAt);
        MonitorLog.RunStored(logger, runId.ToString(), report.Status, changeEvents.Count, transitions.Count, queued);
        return new TargetRunOutcome { RunId = runId, Report = report, Changes = changeEvents, Transitions = transitions, NotificationsQueued = queued };
    }

    /// <summary>Compares with the fingerprint of the run before this slot (the same one on a retry, so the same events are found and rewritten).</summary>
    private async Task<IReadOnlyList<ChangeEvent>> RecordChangesAsync(RunId runId, Report report, CancellationToken cancellationToken)
    {
        var fingerprint = FingerprintReader.Read(report);
        // One read of the row: the save writes on its ETag instead of reading it again.
        var stored = await fingerprints.ReadAsync(runId.TargetId, cancellationToken).ConfigureAwait(false);
        var previous = stored.Before(runId);
        var events = ChangeDetector.Compare(previous?.Fingerprint, fingerprint, runId.TargetId, runId.ToString(), report.FinishedAt);
        await changes.AddAsync(events, cancellationToken).ConfigureAwait(false);
        await fingerprints.SaveAsync(runId, ChangeDetector.Carry(previous?.Fingerprint, fingerprint), stored, cancellationToken).ConfigureAwait(false);
        return events;
    }

    /// <summary>
    /// The state machine on the stored alerts, written back only if nobody changed them meanwhile
    /// (ETags); a run the target's alerts already took into account is not counted twice, its
    /// transitions are read back instead so that its notifications can be queued again. The same
    /// holds alert by alert when an earlier save of the run was cut between its transactions.
    /// </summary>
    private async Task<IReadOnlyList<AlertTransition>> EvaluateAlertsAsync(RunId runId, Report report, CancellationToken cancellationToken)
    {
        var policy = alertSettings.Value.ToPolicy();
        for (var attempt = 1; ; attempt++)
        {
            var state = await alerts.GetStateAsync(runId.TargetId, cancellationToken).ConfigureAwait(false);
            if (state.EvaluatedSlot is { } evaluated && evaluated >= runId.Slot)
            {
                MonitorLog.AlertsAlreadyEvaluated(logger, runId.ToString());
                return await alerts.GetTransitionsOfRunAsync(runId, cancellationToken).ConfigureAwait(false);
            }

            var byId = state.Alerts.ToDictionary(a => a.Alert.Id, StringComparer.Ordinal);
            var evaluation = AlertEvaluator.Evaluate([.. state.Alerts.Select(a => a.Alert)], report, runId.ToString(), policy);
            var writes = evaluation.Changed.Select(a => new AlertWrite(a, byId.GetValueOrDefault(a.Id))).ToList();
            var deletes = evaluation.Dropped.Select(a => byId[a.Id]).ToList();
            try
            {
                await alerts.SaveAsync(runId, state, writes, deletes, evaluation.Transitions, cancellationToken).ConfigureAwait(false);
                // Some alerts already counted this run: an earlier save of it was cut between its
                // transactions, after writing them with their transitions. The run's notifications
                // are those transitions too.
                return evaluation.AlreadyCounted > 0
                    ? await alerts.GetTransitionsOfRunAsync(runId, cancellationToken).ConfigureAwait(false)
                    : evaluation.Transitions;
            }
            catch (StorageConcurrencyException) when (attempt < AlertAttempts)
            {
                MonitorLog.AlertConflict(logger, runId.TargetId, runId.ToString(), attempt);
            }
        }
    }

    /// <summary>Outbox first (one entry per id, whatever happens), then the queue for those not yet delivered or failed.</summary>
    private async Task<int> QueueAsync(IReadOnlyList<Notification> notifications, CancellationToken cancellationToken)
    {
        var queued = 0;
        foreach (var notification in notifications)
        {
            var (entry, _) = await outbox.AddAsync(notification, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            if (entry.State == OutboxState.Pending)
            {
                await notificationQueue.SendAsync(new NotificationDelivery(notification.Id, notification.Channel), null, cancellationToken).ConfigureAwait(false);
                queued++;
            }
        }

        return queued;
    }
}
