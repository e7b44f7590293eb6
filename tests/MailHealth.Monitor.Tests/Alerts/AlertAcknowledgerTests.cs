using MailHealth.Alerts;
using MailHealth.Monitor.Alerts;
using MailHealth.Monitor.Tests.Runs;
using MailHealth.Storage.Alerts;

namespace MailHealth.Monitor.Tests.Alerts;

/// <summary>Acknowledging a stored alert on Azurite.</summary>
public sealed class AlertAcknowledgerTests
{
    [Fact]
    public async Task Acknowledge_OpenAlert_IsStoredWithItsTransitionAndARepeatChangesNothing()
    {
        await using var monitor = await MonitorHarness.StartAsync();
        await monitor.AddTargetAsync("expired", "expired.smtp.test");
        var run = await monitor.RunAsync("expired", MonitorHarness.Slot(0));
        var alertId = run.Transitions.Single(t => t.Key.Code == "TLS_CERT_EXPIRED").AlertId;

        var first = await monitor.Get<AlertAcknowledger>().AcknowledgeAsync(alertId, "ops@example.test", CancellationToken.None);
        var again = await monitor.Get<AlertAcknowledger>().AcknowledgeAsync(alertId, "someone else", CancellationToken.None);

        Assert.Equal(AcknowledgeOutcome.Acknowledged, first!.Outcome);
        Assert.Equal(AcknowledgeOutcome.AlreadyAcknowledged, again!.Outcome);
        var stored = (await monitor.Get<AlertStore>().GetAsync("expired", alertId))!.Alert;
        Assert.Equal("ops@example.test", stored.AcknowledgedBy);
        Assert.Equal(AlertStatus.Open, stored.Status);
        var transitions = (await monitor.Get<AlertStore>().ListTransitionsAsync("expired", alertId)).Items;
        Assert.Equal([AlertTransitionKind.Opened, AlertTransitionKind.Acknowledged], transitions.Select(t => t.Kind).Order());
    }

    [Fact]
    public async Task Acknowledge_UnknownOrPendingAlert_IsRefusedWithoutWriting()
    {
        await using var monitor = await MonitorHarness.StartAsync();
        await monitor.AddTargetAsync("soon", "expiring15.smtp.test");
        var run = await monitor.RunAsync("soon", MonitorHarness.Slot(0));
        var pending = (await monitor.Get<AlertStore>().GetOfTargetAsync("soon")).Single(a => a.Alert.Key.Code == "TLS_CERT_EXPIRES_SOON").Alert;

        var unknown = await monitor.Get<AlertAcknowledger>().AcknowledgeAsync("no-such-alert", "ops", CancellationToken.None);
        var notOpen = await monitor.Get<AlertAcknowledger>().AcknowledgeAsync(pending.Id, "ops", CancellationToken.None);

        Assert.Null(unknown);
        Assert.Equal(AcknowledgeOutcome.NotOpen, notOpen!.Outcome);
        Assert.Null((await monitor.Get<AlertStore>().GetAsync("soon", pending.Id))!.Alert.AcknowledgedAt);
        Assert.DoesNotContain(run.Transitions, t => t.AlertId == pending.Id);
    }
}
