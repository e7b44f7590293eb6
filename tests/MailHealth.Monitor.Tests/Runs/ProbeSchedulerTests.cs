using System.Net;
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
using MailHealth.Testing;
using MailHealth.Testing.Http;
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

    [Fact]
    public async Task Schedule_StorageRefusesSomeSends_TheOthersGoOnAndTheRefusedAreTriedOnceMore()
    {
        // A busy store sheds some requests and answers the rest (503 ServerBusy): the fan-out goes
        // on past a refused send, tries it again at the end, and the slot is whole.
        var sends = 0;
        await using var queues = RefusingSends(n => (sends = n) is 3 or 10 or 25);
        var time = new FakeTimeProvider(MonitorHarness.Slot(3));
        await using var monitor = await MonitorHarness.StartAsync(ThroughProxy(queues), time);
        var ids = await AddTargetsAsync(monitor, 40);

        var (_, queued) = await monitor.Get<ProbeScheduler>().ScheduleAsync(CancellationToken.None);

        Assert.Equal(40, queued);
        Assert.Equal(3, queues.Failed);
        // One send per target and one per retry: nothing else was posted to the probe queue.
        Assert.Equal(43, sends);
        Assert.Equal(ids, (await ReceiveAllAsync(monitor)).Order(StringComparer.Ordinal));
        Assert.Empty(monitor.Get<OutageRecorder>().PendingSlots);
        Assert.Equal(40, (await monitor.Get<HeartbeatStore>().GetScheduleAsync())?.Queued);
    }

    [Fact]
    public async Task Schedule_ASendRefusedTwice_TheOthersAreQueuedAndTheSlotIsRecordedLostWithTheCount()
    {
        // The 5th send is refused, and so is its second try (the 41st send, after the 40 targets).
        await using var queues = RefusingSends(n => n is 5 or 41);
        var time = new FakeTimeProvider(MonitorHarness.Slot(3));
        await using var monitor = await MonitorHarness.StartAsync(ThroughProxy(queues), time);
        await AddTargetsAsync(monitor, 40);

        var e = await Assert.ThrowsAsync<StorageUnavailableException>(() => monitor.Get<ProbeScheduler>().ScheduleAsync(CancellationToken.None));

        Assert.Equal(39, (await ReceiveAllAsync(monitor)).Count);
        var lost = Assert.Single(monitor.Get<OutageRecorder>().PendingSlots);
        Assert.Equal(MonitorHarness.Slot(3), lost.Slot);
        Assert.StartsWith("39 probe request(s) of the slot queued, 1 not, after a second try: storage answered 503", lost.Reason, StringComparison.Ordinal);
        Assert.Equal(lost.Reason, e.Message);
        // The tick did not happen whole: no heartbeat says it did.
        Assert.Null(await monitor.Get<HeartbeatStore>().GetScheduleAsync());
    }

    [Fact]
    public async Task Schedule_StorageRefusesEverySend_TheFanOutStopsAfterARoundOfFailuresInARow()
    {
        // Storage that is down, not busy: each send would wait out its deadline to fail too, so
        // the fan-out stops once a round of sends failed one after another.
        await using var queues = RefusingSends(_ => true);
        var time = new FakeTimeProvider(MonitorHarness.Slot(3));
        await using var monitor = await MonitorHarness.StartAsync(ThroughProxy(queues), time);
        await AddTargetsAsync(monitor, 200);

        await Assert.ThrowsAsync<StorageUnavailableException>(() => monitor.Get<ProbeScheduler>().ScheduleAsync(CancellationToken.None));

        // Those already in flight when the run of failures was complete fail as well; no second try follows.
        Assert.InRange(queues.Failed, ProbeScheduler.FailuresInARow, ProbeScheduler.FailuresInARow + ProbeScheduler.FanOutConcurrency);
        var lost = Assert.Single(monitor.Get<OutageRecorder>().PendingSlots);
        Assert.StartsWith($"0 probe request(s) of the slot queued, the rest not, after {ProbeScheduler.FailuresInARow} failures in a row", lost.Reason, StringComparison.Ordinal);
    }

    /// <summary>A proxy in front of the peers' queue endpoint that refuses the probe sends whose ordinal (from 1) <paramref name="refuse"/> picks.</summary>
    private static FaultingHttpProxy RefusingSends(Func<int, bool> refuse)
    {
        var sends = 0;
        return new FaultingHttpProxy(
            new IPEndPoint(Peers.AzuriteAddress, 10001),
            (method, path) =>
                method == "POST" && path.Contains("-probes/messages", StringComparison.Ordinal) && refuse(Interlocked.Increment(ref sends))
                    ? ProxyFault.Busy
                    : ProxyFault.None);
    }

    /// <summary>The monitor's queues through <paramref name="proxy"/>, with no retry of the storage client's own, so each refusal is one failed send.</summary>
    private static Dictionary<string, string?> ThroughProxy(FaultingHttpProxy proxy) => new()
    {
        ["MailHealth:Storage:ConnectionString"] = Peers.AzuriteConnectionStringWithQueuesAt(proxy.Endpoint),
        ["MailHealth:Storage:MaxRetries"] = "0",
    };

    private static async Task<IReadOnlyList<string>> AddTargetsAsync(MonitorHarness monitor, int count)
    {
        var ids = Enumerable.Range(1, count).Select(i => $"t{i:000}").ToList();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (id, _) => await monitor.AddTargetAsync(id, "good.smtp.test"));
        return ids;
    }

    /// <summary>The target ids of every probe request on the queue.</summary>
    private static async Task<IReadOnlyList<string>> ReceiveAllAsync(MonitorHarness monitor)
    {
        var ids = new List<string>();
        while (await monitor.Get<ProbeQueue>().ReceiveAsync(32, TimeSpan.FromMinutes(5)) is { Count: > 0 } messages)
        {
            ids.AddRange(messages.Select(m => m.Message.TargetId));
        }

        return ids;
    }
}
