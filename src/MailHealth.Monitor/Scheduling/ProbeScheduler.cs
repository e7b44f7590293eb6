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
    /// after the first's rather than minutes.
    /// </summary>
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

        var queued = 0;
        string? continuation = null;
        do
        {
            var page = await deadline.RunAsync(limit, ct => targets.ListAsync(TargetPageSize, continuation, enabledOnly: true, ct), cancellationToken).ConfigureAwait(false);
            await Parallel.ForEachAsync(
                page.Items,
                new ParallelOptions { MaxDegreeOfParallelism = FanOutConcurrency, CancellationToken = cancellationToken },
                async (target, ct) => await deadline.RunAsync(limit, c => probes.SendAsync(new ProbeRequest(target.Target.Id, slot), null, c), ct).ConfigureAwait(false)).ConfigureAwait(false);
            queued += page.Items.Count;
            continuation = page.ContinuationToken;
        }
        while (continuation is not null);

        return queued;
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
