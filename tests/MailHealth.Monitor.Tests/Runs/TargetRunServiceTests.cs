using MailHealth.Alerts;
using MailHealth.Checks;
using MailHealth.Notifications;
using MailHealth.Runs;
using MailHealth.Smtp;
using MailHealth.Storage.Alerts;
using MailHealth.Storage.Latest;
using MailHealth.Storage.Notifications;
using MailHealth.Storage.Runs;
using MailHealth.Testing.Http;
using Microsoft.Extensions.DependencyInjection;

namespace MailHealth.Monitor.Tests.Runs;

/// <summary>One probe request through the whole pipeline, on Azurite and the real peers.</summary>
public sealed class TargetRunServiceTests
{
    private const string CertExpired = "TLS_CERT_EXPIRED";
    private const string CertExpiresSoon = "TLS_CERT_EXPIRES_SOON";

    [Fact]
    public async Task Run_HealthyTarget_StoresTheRunAndTheLatestStatus()
    {
        await using var monitor = await MonitorHarness.StartAsync();
        await monitor.AddTargetAsync("good", "good.smtp.test");

        var outcome = await monitor.RunAsync("good", MonitorHarness.Slot(0));

        Assert.NotNull(outcome.Report);
        var history = await monitor.Get<RunStore>().GetHistoryAsync(new HistoryQuery("good"));
        var run = Assert.Single(history.Items);
        Assert.Equal(outcome.Report.Status, run.Status);
        var latest = await monitor.Get<LatestStatusStore>().GetAsync("good");
        Assert.NotNull(latest);
        Assert.Equal(CheckStatus.Pass, latest.Checks.Single(c => c.Check.Id == "smtp:mx.good.smtp.test:25").Check.Status);
        Assert.DoesNotContain(outcome.Transitions, t => t.Key.Code == CertExpired);
    }

    [Fact]
    public async Task Run_ExpiredCertificate_OpensACriticalAlertAtOnceAndNotifiesOnce()
    {
        await using var monitor = await MonitorHarness.StartAsync();
        await monitor.AddTargetAsync("expired", "expired.smtp.test");

        var first = await monitor.RunAsync("expired", MonitorHarness.Slot(0));
        await monitor.DrainAsync();
        var second = await monitor.RunAsync("expired", MonitorHarness.Slot(1));
        await monitor.DrainAsync();

        var opened = Assert.Single(first.Transitions, t => t.Key.Code == CertExpired);
        Assert.Equal(AlertTransitionKind.Opened, opened.Kind);
        Assert.Equal(new RunId("expired", MonitorHarness.Slot(0)).ToString(), opened.RunId);
        Assert.DoesNotContain(second.Transitions, t => t.Key.Code == CertExpired);
        var alert = (await monitor.Get<AlertStore>().GetOfTargetAsync("expired")).Single(a => a.Alert.Key.Code == CertExpired).Alert;
        Assert.Equal(AlertStatus.Open, alert.Status);
        Assert.Equal(2, alert.ConsecutiveSeen);

        // One signed webhook for the opening; nothing for the second run.
        var deliveries = monitor.Webhook.Requests.Where(r => r.BodyText.Contains(CertExpired, StringComparison.Ordinal)).ToList();
        var delivery = Assert.Single(deliveries);
        Assert.True(SignatureVerifier.Verify(MonitorHarness.WebhookSecret, delivery.Header("X-MailHealth-Signature"), delivery.Body, TimeProvider.System.GetUtcNow(), TimeSpan.FromHours(1)));
        var entry = await monitor.Get<OutboxStore>().GetAsync(delivery.Header("X-MailHealth-Delivery")!);
        Assert.Equal(OutboxState.Delivered, entry!.State);
    }

    [Fact]
    public async Task Run_SameMessageTwice_OneRunAndTheAlertCountedOnce()
    {
        await using var monitor = await MonitorHarness.StartAsync();
        await monitor.AddTargetAsync("soon", "expiring15.smtp.test");

        await monitor.RunAsync("soon", MonitorHarness.Slot(0));
        var repeated = await monitor.RunAsync("soon", MonitorHarness.Slot(0));

        var history = await monitor.Get<RunStore>().GetHistoryAsync(new HistoryQuery("soon"));
        Assert.Single(history.Items);
        var alert = (await monitor.Get<AlertStore>().GetOfTargetAsync("soon")).Single(a => a.Alert.Key.Code == CertExpiresSoon).Alert;
        Assert.Equal(AlertStatus.Pending, alert.Status);
        Assert.Equal(1, alert.ConsecutiveSeen);
        Assert.Empty(repeated.Transitions);

        // The next slot is a second run in a row: the warning opens (two runs by default).
        var next = await monitor.RunAsync("soon", MonitorHarness.Slot(1));
        Assert.Contains(next.Transitions, t => t.Key.Code == CertExpiresSoon && t.Kind == AlertTransitionKind.Opened);
    }

    [Fact]
    public async Task Run_RepeatedAfterAlertsWereSaved_QueuesTheSameNotificationsAgainNotNewOnes()
    {
        await using var monitor = await MonitorHarness.StartAsync();
        await monitor.AddTargetAsync("expired", "expired.smtp.test");

        var first = await monitor.RunAsync("expired", MonitorHarness.Slot(0));
        var repeated = await monitor.RunAsync("expired", MonitorHarness.Slot(0));
        await monitor.DrainAsync();

        // The transitions are read back for the repeated message, and the outbox keeps one entry each.
        Assert.Equal(first.Transitions.Select(t => t.AlertId).Order(), repeated.Transitions.Select(t => t.AlertId).Order());
        Assert.Equal(monitor.Webhook.Requests.Count, monitor.Webhook.DistinctDeliveries());
        Assert.Single(monitor.Webhook.Requests, r => r.BodyText.Contains(CertExpired, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_AfterASaveCutBetweenTransactions_CountsTheRunOnceAndNotifiesEveryOpening()
    {
        await using var monitor = await MonitorHarness.StartAsync();
        await monitor.AddTargetAsync("soon", "expiring15.smtp.test");
        await monitor.RunAsync("soon", MonitorHarness.Slot(0));
        await monitor.DrainAsync();
        // The second run opens its warnings. An earlier attempt at it (a save of more than 100
        // operations) got as far as one transaction: this alert opened, with its transition.
        var alerts = monitor.Get<AlertStore>();
        var run = new RunId("soon", MonitorHarness.Slot(1)).ToString();
        var read = (await alerts.GetOfTargetAsync("soon")).Single(a => a.Alert.Key.Code == CertExpiresSoon);
        var landed = read.Alert with { Status = AlertStatus.Open, ConsecutiveSeen = 2, OpenedAt = MonitorHarness.Slot(1), OpenedRunId = run, LastRunId = run };
        var transition = new AlertTransition(landed.Id, landed.Key, AlertTransitionKind.Opened, MonitorHarness.Slot(1), run, landed.Severity, landed.Message);
        await alerts.SaveAsync("soon", [new AlertWrite(landed, read)], [transition]);

        var outcome = await monitor.RunAsync("soon", MonitorHarness.Slot(1));
        await monitor.DrainAsync();

        var alert = (await alerts.GetOfTargetAsync("soon")).Single(a => a.Alert.Key.Code == CertExpiresSoon).Alert;
        Assert.Equal((AlertStatus.Open, 2), (alert.Status, alert.ConsecutiveSeen));
        // Its opening is still among the run's transitions and notified once, with the others of the run.
        Assert.Contains(outcome.Transitions, t => t.AlertId == landed.Id && t.Kind == AlertTransitionKind.Opened);
        Assert.Contains(outcome.Transitions, t => t.AlertId != landed.Id && t.Kind == AlertTransitionKind.Opened);
        Assert.Single(monitor.Webhook.Requests, r => r.BodyText.Contains(CertExpiresSoon, StringComparison.Ordinal));
        Assert.Equal(monitor.Webhook.Requests.Count, monitor.Webhook.DistinctDeliveries());
    }

    [Fact]
    public async Task Run_ACheckThrows_ItIsStoredAsErrorAndTheOthersAreIntact()
    {
        await using var monitor = await MonitorHarness.StartAsync(configure: s => s.AddSingleton<ICheck, ThrowingCheck>());
        await monitor.AddTargetAsync("good", "good.smtp.test");

        await monitor.RunAsync("good", MonitorHarness.Slot(0));

        var report = await monitor.Get<RunStore>().GetReportAsync(new RunId("good", MonitorHarness.Slot(0)));
        Assert.NotNull(report);
        var broken = report.Checks.Single(c => c.Kind == ThrowingCheck.KindName);
        Assert.Equal(CheckStatus.Error, broken.Status);
        Assert.Contains("boom", broken.Error, StringComparison.Ordinal);
        Assert.Equal(CheckStatus.Pass, report.Checks.Single(c => c.Kind == SmtpCheck.KindName).Status);
    }

    [Fact]
    public async Task Run_UnknownOrDisabledTarget_IsSkippedAndStoresNothing()
    {
        await using var monitor = await MonitorHarness.StartAsync();

        var outcome = await monitor.RunAsync("nobody", MonitorHarness.Slot(0));

        Assert.Null(outcome.Report);
        Assert.Equal("the target no longer exists", outcome.SkippedBecause);
        Assert.Empty((await monitor.Get<RunStore>().GetHistoryAsync(new HistoryQuery("nobody"))).Items);
    }

    private sealed class ThrowingCheck : ICheck
    {
        public const string KindName = "broken";

        public string Kind => KindName;

        public Task<IReadOnlyList<CheckResult>> RunAsync(CheckContext context, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("boom");
    }
}
