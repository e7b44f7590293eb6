using MailHealth.Monitor.Availability;
using MailHealth.Monitor.Caching;
using MailHealth.Monitor.Scheduling;
using MailHealth.Notifications;
using MailHealth.Runs;
using MailHealth.Storage.Availability;
using MailHealth.Storage.Heartbeats;
using MailHealth.Storage.Notifications;
using MailHealth.Storage.Queues;
using MailHealth.Storage.Targets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace MailHealth.Monitor.Tests.Runs;

/// <summary>The schedule's tick: one request per enabled target for the slot, and lost notifications queued again.</summary>
public sealed class ProbeSchedulerTests
{
    [Fact]
    public async Task Schedule_EnabledTargetsOnly_ForTheCurrentSlot()
    {
        var time = new FakeTimeProvider(MonitorHarness.Slot(3) + TimeSpan.FromMinutes(2));
        await using var monitor = await MonitorHarness.StartAsync(time: time);
        await monitor.AddTargetAsync("on", "good.smtp.test");
        var off = await monitor.AddTargetAsync("off", "expired.smtp.test");
        await monitor.Get<TargetStore>().UpsertAsync(off with { Enabled = false });

        var (slot, queued) = await monitor.Get<ProbeScheduler>().ScheduleAsync(CancellationToken.None);

        Assert.Equal(MonitorHarness.Slot(3), slot);
        Assert.Equal(1, queued);
        var message = Assert.Single(await monitor.Get<ProbeQueue>().ReceiveAsync(32, TimeSpan.FromSeconds(30)));
        Assert.Equal(new ProbeRequest("on", MonitorHarness.Slot(3)), message.Message);
    }

    [Theory]
    [InlineData(-4, 3)] // a timer that fired 4 ms early: the slot it was meant for, not the one that already ran
    [InlineData(-29_000, 3)]
    [InlineData(-31_000, 2)] // further before the boundary than the tolerance: still the running slot
    [InlineData(-120_000, 2)]
    [InlineData(0, 3)]
    [InlineData(45_000, 3)] // late: the slot it fell in
    public async Task Schedule_ATickNearABoundary_QueuesTheSlotItWasMeantFor(int millisecondsFromSlot3, int expectedSlot)
    {
        var time = new FakeTimeProvider(MonitorHarness.Slot(3) + TimeSpan.FromMilliseconds(millisecondsFromSlot3));
        await using var monitor = await MonitorHarness.StartAsync(time: time);
        await monitor.AddTargetAsync("on", "good.smtp.test");

        var (slot, _) = await monitor.Get<ProbeScheduler>().ScheduleAsync(CancellationToken.None);

        Assert.Equal(MonitorHarness.Slot(expectedSlot), slot);
        var message = Assert.Single(await monitor.Get<ProbeQueue>().ReceiveAsync(32, TimeSpan.FromSeconds(30)));
        Assert.Equal(MonitorHarness.Slot(expectedSlot), message.Message.Slot);
    }

    [Fact]
    public async Task Schedule_SeveralTicksOfOneSlot_OnlyTheFirstQueuesAndTheNextSlotIsQueuedAgain()
    {
        // Several serve processes on one storage account tick each slot at the same moment: the
        // servers must be probed once per slot, not once per process.
        var time = new FakeTimeProvider(MonitorHarness.Slot(3));
        await using var monitor = await MonitorHarness.StartAsync(time: time);
        await monitor.AddTargetAsync("a", "good.smtp.test");
        await monitor.AddTargetAsync("b", "demo.test");
        var scheduler = monitor.Get<ProbeScheduler>();

        var ticks = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => scheduler.ScheduleAsync(CancellationToken.None)));

        Assert.All(ticks, t => Assert.Equal(MonitorHarness.Slot(3), t.Slot));
        Assert.Equal([0, 0, 0, 2], ticks.Select(t => t.Queued).Order());
        var queue = monitor.Get<ProbeQueue>();
        Assert.Equal(2, (await queue.ReceiveAsync(32, TimeSpan.FromSeconds(30))).Count);

        // Another process whose clock lags a slot behind cannot queue the slot that already ran.
        var lagging = new ProbeScheduler(
            monitor.Get<TargetStore>(),
            queue,
            monitor.Get<OutboxStore>(),
            monitor.Get<NotificationQueue>(),
            monitor.Get<HeartbeatStore>(),
            monitor.Get<StorageDeadline>(),
            monitor.Get<OutageRecorder>(),
            monitor.Get<WriteClock>(),
            monitor.Get<IOptions<MonitorSettings>>(),
            new FakeTimeProvider(MonitorHarness.Slot(2) + TimeSpan.FromMinutes(1)),
            NullLogger<ProbeScheduler>.Instance);
        Assert.Equal((MonitorHarness.Slot(2), 0), await lagging.ScheduleAsync(CancellationToken.None));

        time.SetUtcNow(MonitorHarness.Slot(4));
        var next = await scheduler.ScheduleAsync(CancellationToken.None);

        Assert.Equal((MonitorHarness.Slot(4), 2), next);
        Assert.Equal(2, (await queue.ReceiveAsync(32, TimeSpan.FromSeconds(30))).Count);
    }

    [Fact]
    public async Task Schedule_PendingNotificationAnIntervalOverdue_IsQueuedAgainAFreshOneIsNot()
    {
        var time = new FakeTimeProvider(MonitorHarness.Slot(0));
        await using var monitor = await MonitorHarness.StartAsync(time: time);
        var outbox = monitor.Get<OutboxStore>();
        await outbox.AddAsync(MonitorHarness.Notification("lost"), time.GetUtcNow());
        time.Advance(TimeSpan.FromMinutes(6));
        await outbox.AddAsync(MonitorHarness.Notification("fresh"), time.GetUtcNow());

        await monitor.Get<ProbeScheduler>().ScheduleAsync(CancellationToken.None);

        var messages = await monitor.Get<NotificationQueue>().ReceiveAsync(32, TimeSpan.FromSeconds(30));
        Assert.Equal(["lost"], messages.Select(m => m.Message.NotificationId));
    }
}
