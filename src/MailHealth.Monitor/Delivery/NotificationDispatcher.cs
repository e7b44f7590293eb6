using MailHealth.Monitor.Notifications;
using MailHealth.Monitor.Runs;
using MailHealth.Storage.Tables;
using MailHealth.Storage.Notifications;
using MailHealth.Storage.Queues;
using Microsoft.Extensions.Logging;

namespace MailHealth.Monitor.Delivery;

/// <summary>
/// What both hosts do with one notification message: deliver the outbox entry it names, at least
/// once, and store the outcome. A retryable failure goes back on the queue after the retry
/// policy's backoff; after the last attempt (or a permanent failure) the entry is Failed, visible
/// in the outbox, never dropped. A message for an entry already delivered or failed (a repeated
/// message, a lost race) sends nothing.
/// </summary>
public sealed class NotificationDispatcher(
    OutboxStore outbox,
    NotificationSender sender,
    NotificationQueue queue,
    RetryPolicy retry,
    TimeProvider time,
    ILogger<NotificationDispatcher> logger)
{
    public async Task<OutboxEntry?> DeliverAsync(NotificationDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var entry = await outbox.GetAsync(delivery.NotificationId, cancellationToken).ConfigureAwait(false);
        if (entry is null || entry.State != OutboxState.Pending)
        {
            MonitorLog.DeliveryNotNeeded(logger, delivery.NotificationId, entry?.State.ToString() ?? "gone");
            return entry;
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
