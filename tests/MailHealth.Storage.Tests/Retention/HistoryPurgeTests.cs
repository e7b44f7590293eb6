using MailHealth.Changes;
using MailHealth.Storage.Changes;
using MailHealth.Storage.Heartbeats;
using MailHealth.Storage.Notifications;
using MailHealth.Storage.Retention;
using MailHealth.Storage.Runs;
using MailHealth.Storage.Targets;
using MailHealth.Storage.Tests.Infrastructure;

namespace MailHealth.Storage.Tests.Retention;

public sealed class HistoryPurgeTests(AzuriteAccount azurite) : IClassFixture<AzuriteAccount>
{
    [Fact]
    public async Task PurgeAsync_RemovesOldRunsAndEventsOfEveryTarget()
    {
        var targets = new TargetStore(azurite.Account);
        var runs = new RunStore(azurite.Account);
        var changes = new ChangeEventStore(azurite.Account);
        var purge = new HistoryPurge(targets, runs, changes, new OutboxStore(azurite.Account), new OutageStore(azurite.Account));
        foreach (var id in new[] { "purge-a", "purge-b" })
        {
            await targets.UpsertAsync(TestReports.Target(id));
            for (var i = 0; i < 4; i++)
            {
                var runId = TestReports.RunAt(id, i);
                await runs.WriteAsync(runId, TestReports.Report(runId));
                await changes.AddAsync([new ChangeEvent(id, "spf", "a", "b", "spf changed", runId.Slot, runId.ToString())]);
            }
        }

        var result = await purge.PurgeAsync(TestReports.RunAt("x", 2).Slot);

        Assert.Equal(4, result.RunEntities);
        Assert.Equal(8, result.ChangeEvents);
        foreach (var id in new[] { "purge-a", "purge-b" })
        {
            Assert.Equal(2, (await runs.GetHistoryAsync(new HistoryQuery(id))).Items.Count);
            Assert.Equal(2, (await changes.ListAsync(new ChangeEventQuery { TargetId = id })).Items.Count);
        }

        Assert.Equal(4, (await changes.ListAsync(new ChangeEventQuery())).Items.Count);
    }
}
