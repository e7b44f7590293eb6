using MailHealth.Notifications;
using Microsoft.Extensions.Logging;

namespace MailHealth.Monitor.Notifications;

/// <summary>
/// One delivery attempt of a notification to the channel it names, logged. What the outbox does
/// next: Delivered, done; RetryableFailure, ask <see cref="RetryPolicy.NextAttemptDelay(int, TimeSpan?)"/>
/// (null: mark it failed); PermanentFailure, mark it failed. A channel that is no longer
/// configured is a permanent failure, not a crash.
/// </summary>
public sealed class NotificationSender(NotificationChannels channels, ILogger<NotificationSender> logger)
{
    public async Task<DeliveryResult> SendAsync(Notification notification, CancellationToken cancellationToken)
    {
        if (!channels.TryGet(notification.Channel, out var channel))
        {
            NotificationLog.UnknownChannel(logger, notification.Id, notification.Channel);
            return DeliveryResult.PermanentFailure($"no channel named '{notification.Channel}' is configured");
        }

        DeliveryResult result;
        try
        {
            result = await channel.SendAsync(notification, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A channel bug must not lose the notification: it is retried like any transient failure.
            NotificationLog.ChannelThrew(logger, channel.Name, channel.Type, e.GetType().Name, notification.Id);
            result = DeliveryResult.RetryableFailure($"channel error ({e.GetType().Name})");
        }

        switch (result.Outcome)
        {
            case DeliveryOutcome.Delivered:
                NotificationLog.Delivered(logger, notification.Id, channel.Name, channel.Type);
                break;
            case DeliveryOutcome.RetryableFailure:
                NotificationLog.RetryableFailure(logger, notification.Id, channel.Name, channel.Type, result.Reason ?? "");
                break;
            default:
                NotificationLog.PermanentFailure(logger, notification.Id, channel.Name, channel.Type, result.Reason ?? "");
                break;
        }

        return result;
    }
}
