using MailHealth.Monitor.Notifications;
using MailHealth.Monitor.Runs;
using MailHealth.Storage.Notifications;
using MailHealth.Storage.Queues;
using MailHealth.Storage.Tables;
using Microsoft.Extensions.Logging;

namespace MailHealth.Monitor.Delivery;

/// <summary>
/// What both hosts do with one notification message: deliver the outbox entry it names, at least
/// once, and store the outcome. A retryable failure goes back on the queue after the retry
/// policy's backoff; after the last attempt (or a permanent failure) the entry is Failed, visible
/// in the outbox, never dropped. A message for an entry already delivered or failed, not yet due,
/// or claimed by another worker (a repeated message, two workers at once) sends nothing: before
/// sending, a worker claims the entry by moving its next attempt a lease ahead under its ETag, so
/// of two copies of one message only one reaches the channel. A worker that dies holding a claim
/// leaves the entry pending; the scheduler queues it again once the lease has passed.
/// </summary>
public sealed class NotificationDispatcher(
    OutboxStore outbox,
    NotificationSender sender,
    NotificationQueue queue,
    RetryPolicy retry,
    TimeProvider time,
    ILogger<NotificationDispatcher> logger)
{
    /// <summary>How long a claim holds: longer than any channel's send (their timeouts are at most 10 minutes).</summary>
    public static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(11);

    /// <summary>A message arriving this much before its entry's next attempt still counts as due (clocks and queue visibility are not exact).</summary>
    private static readonly TimeSpan DueTolerance = TimeSpan.FromSeconds(2);

    public async Task<OutboxEntry?> DeliverAsync(NotificationDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var entry = await outbox.GetAsync(delivery.NotificationId, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        if (entry is null || entry.State != OutboxState.Pending || entry.NextAttemptAt > now + DueTolerance)
        {
            MonitorLog.DeliveryNotNeeded(logger, delivery.NotificationId, entry is null ? "gone" : entry.State == OutboxState.Pending ? "not due or claimed" : entry.State.ToString());
            return entry;
        }

        try
        {
            entry = await outbox.UpdateAsync(entry with { NextAttemptAt = now + ClaimLease }, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageConcurrencyException)
        {
            MonitorLog.DeliveryNotNeeded(logger, delivery.NotificationId, "claimed by another worker");
            return await outbox.GetAsync(delivery.NotificationId, cancellationToken).ConfigureAwait(false);
        }

        var result = await sender.SendAsync(entry.Notification, cancellationToken).ConfigureAwait(false);
        try
        {
            switch (result.Outcome)
            {
                case DeliveryOutcome.Delivered:
                    MonitorLog.Delivered(logger, delivery.NotificationId, delivery.Channel);
                    return await outbox.MarkDeliveredAsync(entry, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                case DeliveryOutcome.RetryableFailure when retry.NextAttemptDelay(entry.Attempts + 1, result) is { } delay:
                    MonitorLog.DeliveryRetry(logger, delivery.NotificationId, delivery.Channel, entry.Attempts + 1, result.Reason ?? "", delay);
                    var pending = await outbox.MarkFailedAttemptAsync(entry, result.Reason ?? "failed", time.GetUtcNow() + delay, cancellationToken).ConfigureAwait(false);
                    await queue.SendAsync(delivery, delay, cancellationToken).ConfigureAwait(false);
                    return pending;
                default:
                    MonitorLog.DeliveryFailed(logger, delivery.NotificationId, delivery.Channel, entry.Attempts + 1, result.Reason ?? "");
                    return await outbox.MarkFailedAttemptAsync(entry, result.Reason ?? "failed", null, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (StorageConcurrencyException)
        {
            // Another worker handled the same entry meanwhile (a repeated message): its outcome stands.
            return await outbox.GetAsync(delivery.NotificationId, cancellationToken).ConfigureAwait(false);
        }
    }
}
