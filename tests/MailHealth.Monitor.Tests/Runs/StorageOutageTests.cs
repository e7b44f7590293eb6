using MailHealth.Alerts;
using MailHealth.Checks;
using MailHealth.Monitor.Scheduling;
using MailHealth.Storage.Alerts;
using MailHealth.Storage.Runs;
using MailHealth.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MailHealth.Monitor.Tests.Runs;

/// <summary>The store goes away in the middle of a cycle and comes back: nothing accepted is lost, nothing is doubled.</summary>
public sealed class StorageOutageTests
{
    [Fact]
    public async Task Cycle_StoreStopsMidRunAndComesBack_TheRunCompletesOnceWithOneAlertAndOneNotification()
    {
        // An Azurite of this test's own: the shared one stays up for the tests running meanwhile.
        await using var azurite = await AzuriteProcess.StartAsync(Peers.Address(0, 101));
        var outage = new StoreOutageCheck(azurite);
        await using var monitor = await MonitorHarness.StartAsync(
            new Dictionary<string, string?>
            {
                ["MailHealth:Storage:ConnectionString"] = azurite.ConnectionString,
                ["MailHealth:Monitor:MessageVisibilityTimeout"] = "00:00:02",
            },
            configure: s => s.AddSingleton<ICheck>(outage));
        await monitor.AddTargetAsync("expired", "expired.smtp.test");
        var (slot, queued) = await monitor.Get<ProbeScheduler>().ScheduleAsync(CancellationToken.None);
        Assert.Equal(1, queued);

        // The worker takes the message; during the run the store dies, so nothing can be written
        // and the message cannot be deleted either.
        await Assert.ThrowsAnyAsync<Exception>(monitor.DrainAsync);
        Assert.True(outage.Stopped);
        await azurite.StartAsync();

        // The message comes back after its visibility timeout and the run is done again, whole.
        var runs = monitor.Get<RunStore>();
        for (var i = 0; i < 100 && (await runs.GetHistoryAsync(new HistoryQuery("expired"))).Items.Count == 0; i++)
        {
            await monitor.DrainAsync();
            await Task.Delay(200);
        }

        await monitor.DrainAsync();
        var run = Assert.Single((await runs.GetHistoryAsync(new HistoryQuery("expired"))).Items);
        Assert.Equal(slot, run.Slot);
        var alert = (await monitor.Get<AlertStore>().GetOfTargetAsync("expired")).Single(a => a.Alert.Key.Code == "TLS_CERT_EXPIRED").Alert;
        Assert.Equal(AlertStatus.Open, alert.Status);
        Assert.Equal(1, alert.ConsecutiveSeen);
        Assert.Single(monitor.Webhook.Requests, r => r.BodyText.Contains("TLS_CERT_EXPIRED", StringComparison.Ordinal));
    }

    /// <summary>A check that stops the store the first time it runs: the outage lands in the middle of a run.</summary>
    private sealed class StoreOutageCheck(AzuriteProcess azurite) : ICheck
    {
        public bool Stopped { get; private set; }

        public string Kind => "outage";

        public async Task<IReadOnlyList<CheckResult>> RunAsync(CheckContext context, CancellationToken cancellationToken)
        {
            if (!Stopped)
            {
                Stopped = true;
                await azurite.StopAsync();
            }

            return [context.Result("outage", "outage", context.Target.Domain).Build()];
        }
    }
}
