namespace MailHealth.Storage.Queues;

/// <summary>A notification queue message: deliver this outbox entry to this channel.</summary>
public sealed record NotificationDelivery(string NotificationId, string Channel);
