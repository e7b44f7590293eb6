using System.Globalization;
using MailHealth.Functions.Triggers;
using MailHealth.Memory;
using MailHealth.Notifications;
using MailHealth.Runs;
using MailHealth.Storage.Dkim;
using MailHealth.Storage.Latest;
using MailHealth.Storage.Notifications;
using MailHealth.Storage.Queues;
using MailHealth.Storage.Runs;
using MailHealth.Testing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Time.Testing;

namespace MailHealth.Functions.Tests;

/// <summary>
/// Each function invoked as the worker would: its class from the app's container, its trigger's
/// payload in the shape the host hands over, its real dependencies on Azurite and the peers.
/// </summary>
public sealed class FunctionInvocationTests
{
    private static readonly DateTimeOffset Day = TestClock.Yesterday;

    [Fact]
    public async Task ScheduleProbes_QueuesOneRequestPerEnabledTargetForTheSlot()
    {
        var time = new FakeTimeProvider(Day + TimeSpan.FromMinutes(17));
        await using var app = await FunctionsHarness.StartAsync(time);
        await app.AddTargetAsync("on-1", "good.smtp.test");
        await app.AddTargetAsync("on-2", "demo.test");
        await app.AddTargetAsync("off", "expired.smtp.test", enabled: false);

        await app.Function<ScheduleProbes>().RunAsync(new TimerInfo(), CancellationToken.None);

        var messages = await app.Get<ProbeQueue>().ReceiveAsync(32, TimeSpan.FromSeconds(30));
        var slot = Day + TimeSpan.FromMinutes(15);
        Assert.Equal(
            [new ProbeRequest("on-1", slot), new ProbeRequest("on-2", slot)],
            messages.Select(m => m.Message).OrderBy(m => m.TargetId, StringComparer.Ordinal));
    }

    [Fact]
    public async Task ProbeTarget_TheMessageProbeQueueWrote_StoresARun()
    {
        await using var app = await FunctionsHarness.StartAsync();
        await app.AddTargetAsync("good", "good.smtp.test");
        var slot = RunId.SlotOf(TimeProvider.System.GetUtcNow(), TimeSpan.FromMinutes(5));
        await app.Get<ProbeQueue>().SendAsync(new ProbeRequest("good", slot));

        // The host hands the trigger the decoded body of the message as the Storage project wrote it.
        var raw = Assert.Single((await app.Get<ProbeQueue>().Client.ReceiveMessagesAsync(1)).Value);
        await app.Function<ProbeTarget>().RunAsync(raw.Body.ToString(), CancellationToken.None);

        var run = Assert.Single((await app.Get<RunStore>().GetHistoryAsync(new HistoryQuery("good"))).Items);
        Assert.Equal(slot, run.Slot);
        var latest = await app.Get<LatestStatusStore>().GetAsync("good");
        Assert.Equal(Checks.CheckStatus.Pass, latest!.Checks.Single(c => c.Check.Id == "smtp:mx.good.smtp.test:25").Check.Status);
    }

    [Fact]
    public async Task ProbeTarget_AMessageThatIsNotAProbeRequest_Throws()
    {
        await using var app = await FunctionsHarness.StartAsync();

        // Thrown, the host retries the message and finally moves it to the poison queue.
        await Assert.ThrowsAsync<QueueMessageFormatException>(() => app.Function<ProbeTarget>().RunAsync("{not json", CancellationToken.None));
    }

    [Fact]
    public async Task SendNotification_DeliversTheOutboxEntryToTheWebhook()
    {
        await using var app = await FunctionsHarness.StartAsync();
        var notification = new Notification
        {
            Id = "n-1",
            Channel = "ops",
            Kind = NotificationKind.AlertOpened,
            TargetId = "shop",
            Domain = "shop.example",
            Title = "[CRITICAL] shop.example: TLS_CERT_EXPIRED on mx.shop.example:25 opened",
            Text = "the certificate expired",
            At = Day,
        };
        await app.Get<OutboxStore>().AddAsync(notification, TimeProvider.System.GetUtcNow());

        await app.Function<SendNotification>().RunAsync(
            StorageQueue<NotificationDelivery>.Serialize(new NotificationDelivery("n-1", "ops")), CancellationToken.None);

        var request = Assert.Single(app.Webhook.Requests);
        Assert.Contains("TLS_CERT_EXPIRED", request.BodyText, StringComparison.Ordinal);
        Assert.Equal(OutboxState.Delivered, (await app.Get<OutboxStore>().GetAsync("n-1"))!.State);
    }

    [Fact]
    public async Task PurgeHistory_RemovesRunsOlderThanTheRetention()
    {
        var interval = TimeSpan.FromMinutes(5);
        var time = new FakeTimeProvider(RunId.SlotOf(TimeProvider.System.GetUtcNow(), interval));
        await using var app = await FunctionsHarness.StartAsync(time, new Dictionary<string, string?> { ["MailHealth:Monitor:RetentionDays"] = "2" });
        await app.AddTargetAsync("good", "good.smtp.test");
        var runs = app.Function<ProbeTarget>();
        var old = time.GetUtcNow();
        await runs.RunAsync(StorageQueue<ProbeRequest>.Serialize(new ProbeRequest("good", old)), CancellationToken.None);
        time.Advance(TimeSpan.FromDays(2) + interval);
        var recent = time.GetUtcNow();
        await runs.RunAsync(StorageQueue<ProbeRequest>.Serialize(new ProbeRequest("good", recent)), CancellationToken.None);

        await app.Function<PurgeHistory>().RunAsync(new TimerInfo(), CancellationToken.None);

        var history = await app.Get<RunStore>().GetHistoryAsync(new HistoryQuery("good"));
        Assert.Equal([recent], history.Items.Select(r => r.Slot));
    }

    [Fact]
    public async Task SweepDkimSelectors_SweepsEveryTargetThatNamesNoSelector()
    {
        await using var app = await FunctionsHarness.StartAsync();
        await app.AddTargetAsync("common", "common.auth.test");

        await app.Function<SweepDkimSelectors>().RunAsync(new TimerInfo(), CancellationToken.None);

        var memory = await app.Get<DkimSelectorStore>().GetAsync("common");
        Assert.Equal(DkimSweepOutcome.Found, memory.LastDkimSweep!.Outcome);
        Assert.Equal(["default", "google", "selector1"], memory.DkimSelectors.Select(s => s.Selector));
    }
}
