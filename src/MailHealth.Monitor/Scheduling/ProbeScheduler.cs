using MailHealth.Monitor.Availability;
using MailHealth.Monitor.Caching;
using MailHealth.Monitor.Runs;
using MailHealth.Runs;
using MailHealth.Storage.Availability;
using MailHealth.Storage.Heartbeats;
using MailHealth.Storage.Notifications;
using MailHealth.Storage.Queues;
using MailHealth.Storage.Targets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailHealth.Monitor.Scheduling;

/// <summary>
/// The schedule's tick, for both hosts (the Functions timer, <c>serve</c>'s in-process clock):
/// one probe request per enabled target for the current slot (fan-out: the queue's consumers share
/// the work), and the outbox's due notifications queued again in case their message was lost.
/// Each slot is queued once, by the first tick that claims it, however many processes tick. A
/// tick that storage fails (within <see cref="MonitorSettings.StorageDeadline"/>) loses its slot:
/// no later tick queues it, so the loss is recorded (<see cref="OutageRecorder"/>), counted and
/// shown in the detailed health, not only logged.
/// </summary>
public sealed class ProbeScheduler(
    TargetStore targets,
    ProbeQueue probes,
    OutboxStore outbox,
    NotificationQueue notifications,
    HeartbeatStore heartbeats,
    StorageDeadline deadline,
    OutageRecorder outages,
    WriteClock writes,
    IOptions<MonitorSettings> settings,
    TimeProvider time,
    ILogger<ProbeScheduler> logger)
{
    /// <summary>Probe messages sent at once during a tick's fan-out.</summary>
    public const int FanOutConcurrency = 32;

    /// <summary>Sends failed one after another that stop a fan-out: a whole round of concurrent sends, each past its deadline or its retries.</summary>
    public const int FailuresInARow = FanOutConcurrency;

    /// <summary>Targets read per request (Table storage's largest page).</summary>
    private const int TargetPageSize = 1000;

    /// <summary>Queues the slot that the current time falls in; returns it and how many requests were queued.</summary>
    /// <exception cref="StorageUnavailableException">
    /// Storage failed the tick; when that was before all the slot's probes were queued, the slot is recorded as lost.
    /// </exception>
    public async Task<(DateTimeOffset Slot, int Queued)> ScheduleAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var interval = settings.Value.Interval;
        var slot = RunId.SlotOf(now + EarlyTickTolerance(interval), interval);
        try
        {
            return await TickAsync(slot, now, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // The heartbeat and the queue's depth changed, or a slot was lost: this process's copies of the detailed health go.
            writes.WroteMonitorState();
        }
    }

    private async Task<(DateTimeOffset Slot, int Queued)> TickAsync(DateTimeOffset slot, DateTimeOffset now, CancellationToken cancellationToken)
    {
        int? queued;
        try
        {
            queued = await QueueSlotAsync(slot, now, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageUnavailableException e)
        {
            outages.SlotLost(slot, e.Message);
            throw;
        }

        if (queued is { } count)
        {
            // The slot's probes are queued whatever happens now: a failure from here on fails the tick, not the slot.
            await deadline.RunAsync(settings.Value.StorageDeadline, ct => FinishTickAsync(slot, now, count, ct), cancellationToken).ConfigureAwait(false);
        }

        return (slot, queued ?? 0);
    }

    /// <summary>
    /// Claims the slot and queues its probes: how many, or null when another tick had claimed it.
    /// Each request to storage gets the storage deadline (not the whole fan-out: ten thousand
    /// targets are ten thousand messages), and the messages of a page of targets go out
    /// <see cref="FanOutConcurrency"/> at a time, so the last target's probe is queued seconds
    /// after the first's rather than minutes. A send that fails does not stop the others (a busy
    /// store fails some requests and answers the rest): the failed ones are tried once more at the
    /// end, and only those that fail twice are lost. <see cref="FailuresInARow"/> failures one after
    /// another say storage is down rather than busy: the fan-out stops there.
    /// </summary>
    /// <exception cref="StorageUnavailableException">Some of the slot's probes, or all, could not be queued.</exception>
    private async Task<int?> QueueSlotAsync(DateTimeOffset slot, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var limit = settings.Value.StorageDeadline;
        if (!await deadline.RunAsync(limit, ct => heartbeats.TryClaimSlotAsync(slot, now, ct), cancellationToken).ConfigureAwait(false))
        {
            // Another process (or an earlier tick of this one) queued this slot: a second fan-out
            // would only probe every server twice. The claimer also re-queues lost notifications.
            MonitorLog.SlotAlreadyScheduled(logger, slot);
            return null;
        }

        var failures = new FanOutFailures();
        var queued = 0;
        string? continuation = null;
        do
        {
            var page = await deadline.RunAsync(limit, ct => targets.ListAsync(TargetPageSize, continuation, enabledOnly: true, ct), cancellationToken).ConfigureAwait(false);
            queued += await SendAsync(page.Items.Select(t => t.Target.Id), slot, failures, cancellationToken).ConfigureAwait(false);
            continuation = page.ContinuationToken;
        }
        while (continuation is not null && !failures.StorageDown);

        if (failures.Unsent.Count > 0 && !failures.StorageDown)
        {
            var again = failures.TakeUnsent();
            MonitorLog.FanOutRetried(logger, slot, again.Count);
            queued += await SendAsync(again, slot, failures, cancellationToken).ConfigureAwait(false);
        }

        if (failures.Unsent.Count > 0 || continuation is not null)
        {
            var unsent = continuation is null && !failures.StorageDown
                ? $"{failures.Unsent.Count} not, after a second try"
                : $"the rest not, after {FailuresInARow} failures in a row";
            throw new StorageUnavailableException($"{queued} probe request(s) of the slot queued, {unsent}: {failures.LastReason}");
        }

        return queued;
    }

    /// <summary>Sends a probe request of <paramref name="slot"/> for each target, <see cref="FanOutConcurrency"/> at a time; returns how many were queued.</summary>
    private async Task<int> SendAsync(IEnumerable<string> targetIds, DateTimeOffset slot, FanOutFailures failures, CancellationToken cancellationToken)
    {
        var limit = settings.Value.StorageDeadline;
        var sent = 0;
        await Parallel.ForEachAsync(
            targetIds,
            new ParallelOptions { MaxDegreeOfParallelism = FanOutConcurrency, CancellationToken = cancellationToken },
            async (targetId, ct) =>
            {
                if (failures.StorageDown)
                {
                    // Storage is down: each further send would wait out its deadline to fail too.
                    failures.Skipped(targetId);
                    return;
                }

                try
                {
                    await deadline.RunAsync(limit, c => probes.SendAsync(new ProbeRequest(targetId, slot), null, c), ct).ConfigureAwait(false);
                    failures.Sent();
                    Interlocked.Increment(ref sent);
                }
                catch (StorageUnavailableException e)
                {
                    failures.Failed(targetId, e.Message);
                }
            }).ConfigureAwait(false);
        return sent;
    }

    private async Task FinishTickAsync(DateTimeOffset slot, DateTimeOffset now, int queued, CancellationToken cancellationToken)
    {
        // An entry whose message was lost (a crash between the outbox and the queue, or a worker
        // that died holding its claim) is still pending a whole interval after it was due: queue it
        // again. A second message for it would be harmless (the dispatcher's claim sends it once),
        // but entries that are merely waiting for their message are left alone.
        foreach (var entry in await outbox.ListDueAsync(now - settings.Value.Interval, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            await notifications.SendAsync(new NotificationDelivery(entry.Notification.Id, entry.Notification.Channel), null, cancellationToken).ConfigureAwait(false);
        }

        // Last: a heartbeat says the whole tick happened (GET /api/health/detail reads it).
        await heartbeats.RecordScheduleAsync(new ScheduleHeartbeat(now, slot, queued), cancellationToken).ConfigureAwait(false);
        MonitorLog.Scheduled(logger, slot, queued);
    }

    /// <summary>
    /// How early a tick may come and still belong to the slot that starts after it. Timers fire a
    /// little before their occurrence now and then (Azure Functions' have been seen a few
    /// milliseconds early: azure-functions-host issues 7398 and 8254). Read literally, a tick at
    /// 11:59:59.996 names the slot that already ran, rewrites its runs, and the slot that was due
    /// is never probed. Up to 30 seconds (a quarter of a short interval) early counts as on time.
    /// </summary>
    public static TimeSpan EarlyTickTolerance(TimeSpan interval) =>
        TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(30).Ticks, interval.Ticks / 4));
}
