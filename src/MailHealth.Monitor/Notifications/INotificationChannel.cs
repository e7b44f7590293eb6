using MailHealth.Notifications;

namespace MailHealth.Monitor.Notifications;

/// <summary>One configured destination. Never throws for a delivery problem: it returns a failure.</summary>
public interface INotificationChannel
{
    /// <summary>The channel's configured name (the key under <c>MailHealth:Notifications:Channels</c>).</summary>
    string Name { get; }

    ChannelType Type { get; }

    /// <summary>One delivery attempt. Throws only <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> is cancelled.</summary>
    Task<DeliveryResult> SendAsync(Notification notification, CancellationToken cancellationToken);
}
