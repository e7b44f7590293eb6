using MailHealth.Storage.Configuration;

namespace MailHealth.Storage.Queues;

/// <summary>The notification deliveries: one message per outbox entry and channel (<see cref="StorageOptions.NotificationQueueName"/>).</summary>
public sealed class NotificationQueue(StorageAccount account) : StorageQueue<NotificationDelivery>(account, account.Options.NotificationQueueName);
