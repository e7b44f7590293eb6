using MailHealth.Monitor.Retention;
using MailHealth.Monitor.Tests.Runs;
using MailHealth.Runs;
using MailHealth.Storage.Runs;
using Microsoft.Extensions.Time.Testing;

namespace MailHealth.Monitor.Tests.Retention;

/// <summary>The daily purge keeps exactly the configured days of history.</summary>
public sealed class RetentionServiceTests
{
    [Fact]
    public async Task Purge_RunsOlderThanTheRetention_AreGoneTheRestKept()
    {
        var interval = TimeSpan.FromMinutes(5);
        var time = new FakeTimeProvider(RunId.SlotOf(TimeProvider.System.GetUtcNow(), interval));
        await using var monitor = await MonitorHarness.StartAsync(new Dictionary<string, string?> { ["MailHealth:Monitor:RetentionDays"] = "2" }, time);
        await monitor.AddTargetAsync("good", "good.smtp.test");
        var old = time.GetUtcNow();
        await monitor.RunAsync("good", old);
        time.Advance(TimeSpan.FromDays(2) + interval);
        var recent = time.GetUtcNow();
        await monitor.RunAsync("good", recent);

        var result = await monitor.Get<RetentionService>().PurgeAsync(CancellationToken.None);

        Assert.True(result.RunEntities >= 1);
        var history = await monitor.Get<RunStore>().GetHistoryAsync(new HistoryQuery("good"));
        Assert.Equal([recent], history.Items.Select(r => r.Slot));
    }
}
