using MailHealth.Monitor.Delivery;
using MailHealth.Storage.Queues;
using Microsoft.Azure.Functions.Worker;

namespace MailHealth.Functions.Triggers;

/// <summary>One notification delivery off the queue; the dispatcher's outbox keeps retries and failures visible.</summary>
public sealed class SendNotification(NotificationDispatcher dispatcher)
{
    public const string Name = nameof(SendNotification);

    [Function(Name)]
    public async Task RunAsync(
        [QueueTrigger(FunctionsSettings.NotificationQueueExpression, Connection = FunctionsSettings.StorageConnection)] string message,
        CancellationToken cancellationToken) =>
        await dispatcher.DeliverAsync(StorageQueue<NotificationDelivery>.Deserialize(message), cancellationToken).ConfigureAwait(false);
}
