namespace MailHealth.Monitor.Notifications;

/// <summary>
/// One channel's test: its name and type, what became of the test notification, why it was not
/// delivered (<see cref="DeliveryResult.Reason"/>) and what the receiver answered
/// (<see cref="DeliveryResult.Answer"/>). Never the channel's URL, key or password.
/// </summary>
public sealed record ChannelTestResult(
    string Name,
    ChannelType Type,
    ChannelTestOutcome Outcome,
    string? Reason,
    string? Answer,
    string NotificationId)
{
    /// <summary>Reads one attempt's result: delivered; refused when the receiver answered; failed when it did not.</summary>
    public static ChannelTestResult Of(INotificationChannel channel, string notificationId, DeliveryResult result)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(result);
        var outcome = result.Outcome == DeliveryOutcome.Delivered ? ChannelTestOutcome.Delivered
            : result.Answer is not null ? ChannelTestOutcome.Refused
            : ChannelTestOutcome.Failed;
        return new ChannelTestResult(channel.Name, channel.Type, outcome, result.Reason, result.Answer, notificationId);
    }
}
