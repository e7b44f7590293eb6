using MailHealth.Monitor.Delivery;
using MailHealth.Monitor.Tests.Runs;
using MailHealth.Notifications;
using MailHealth.Storage.Notifications;
using MailHealth.Storage.Queues;
using MailHealth.Testing.Http;

namespace MailHealth.Monitor.Tests.Delivery;

/// <summary>The outbox and the queue against a real loopback webhook receiver: at least once, never lost, never twice to the receiver's eyes.</summary>
public sealed class NotificationDispatcherTests
{

    private static async Task<OutboxEntry> QueueAsync(MonitorHarness monitor, Notification notification)
    {
        var (entry, _) = await monitor.Get<OutboxStore>().AddAsync(notification, TimeProvider.System.GetUtcNow());
        await monitor.Get<NotificationQueue>().SendAsync(new NotificationDelivery(notification.Id, notification.Channel));
        return entry;
    }

    [Fact]
    public async Task Deliver_WebhookAnswers500Then200_DeliveredOnceToTheReceiversEyes()
    {
        await using var monitor = await MonitorHarness.StartAsync();
        monitor.Webhook.Script(ScriptedReply.Answer(500), ScriptedReply.Ok);
        var dispatcher = monitor.Get<NotificationDispatcher>();
        await QueueAsync(monitor, MonitorHarness.Notification("n500"));

        var first = await dispatcher.DeliverAsync(new NotificationDelivery("n500", "ops"), CancellationToken.None);
        Assert.Equal(OutboxState.Pending, first!.State);
        Assert.Equal(1, first.Attempts);
        Assert.Contains("500", first.LastError, StringComparison.Ordinal);

        // The retry was queued with the policy's delay (1-2 s here): wait for it on the real queue.
        for (var i = 0; i < 100 && (await monitor.Get<OutboxStore>().GetAsync("n500"))!.State == OutboxState.Pending; i++)
        {
            await monitor.DrainAsync();
            await Task.Delay(200);
        }

        var entry = await monitor.Get<OutboxStore>().GetAsync("n500");
        Assert.Equal(OutboxState.Delivered, entry!.State);
        Assert.Equal(2, entry.Attempts);
        Assert.Equal([500, 200], monitor.Webhook.Requests.Select(r => r.AnsweredStatus));
        Assert.Equal(1, monitor.Webhook.DistinctDeliveries());
    }

    [Fact]
    public async Task Deliver_SameMessageTwiceAtOnce_TheReceiverGetsOneRequest()
    {
        await using var monitor = await MonitorHarness.StartAsync();
        await QueueAsync(monitor, MonitorHarness.Notification("twice"));
        await monitor.Get<NotificationQueue>().SendAsync(new NotificationDelivery("twice", "ops"));

        await monitor.DrainAsync();

        Assert.Single(monitor.Webhook.Requests);
        Assert.Equal(OutboxState.Delivered, (await monitor.Get<OutboxStore>().GetAsync("twice"))!.State);
    }

    [Fact]
    public async Task Deliver_PermanentRefusal_IsFailedAndVisibleWithoutTheSecretOrUrl()
    {
        await using var monitor = await MonitorHarness.StartAsync();
        monitor.Webhook.Default = ScriptedReply.Answer(403);
        await QueueAsync(monitor, MonitorHarness.Notification("refused"));

        await monitor.DrainAsync();

        var entry = await monitor.Get<OutboxStore>().GetAsync("refused");
        Assert.Equal(OutboxState.Failed, entry!.State);
        Assert.Contains("403", entry.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain(MonitorHarness.WebhookSecret, entry.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain(monitor.Webhook.Url().Host, entry.LastError, StringComparison.Ordinal);
        var failed = await monitor.Get<OutboxStore>().ListAsync(OutboxState.Failed);
        Assert.Contains(failed.Items, e => e.Notification.Id == "refused");
    }

    [Fact]
    public async Task Deliver_EveryAttemptFails_EndsFailedAfterTheLastRetryNeverDropped()
    {
        await using var monitor = await MonitorHarness.StartAsync();
        monitor.Webhook.Default = ScriptedReply.Answer(503);
        await QueueAsync(monitor, MonitorHarness.Notification("down"));

        for (var i = 0; i < 150 && (await monitor.Get<OutboxStore>().GetAsync("down"))!.State == OutboxState.Pending; i++)
        {
            await monitor.DrainAsync();
            await Task.Delay(200);
        }

        var entry = await monitor.Get<OutboxStore>().GetAsync("down");
        Assert.Equal(OutboxState.Failed, entry!.State);
        Assert.Equal(3, entry.Attempts);
        Assert.Equal(3, monitor.Webhook.Requests.Count);
    }
}
