using MailHealth.Storage.ReceiverReports;
using MailHealth.Testing;
using MailHealth.Testing.Mail;
using MailHealth.Testing.Reports;

namespace MailHealth.Cli.Tests.Serve;

/// <summary>serve polls the reports mailbox as a cron job of its own, at start and then on its schedule.</summary>
public sealed class ServeMailboxTests
{
    [Fact]
    public async Task MailboxJob_AtStart_StoresTheDeliveredReport_AndMovesTheMessage()
    {
        var user = ReportsMailbox.NewUser();
        await using var mailbox = await ReportsMailbox.OpenAsync(user);
        var spec = Reporters.Google("serve-mailbox.example", TestClock.Yesterday, AggregateRows.Mixed("serve-mailbox.example", 6, 3));
        await mailbox.AppendAsync("INBOX", Reporters.GoogleMessage(spec));

        await using var serve = await ServeHarness.StartAsync("[]", settings: ReportsMailbox.Settings(user));

        var moved = await ServeHarness.EventuallyAsync(async () => await mailbox.CountAsync("Processed") == 1 ? "moved" : null, "the job moved the message to Processed");
        Assert.Equal("moved", moved);
        Assert.Equal(0, await mailbox.CountAsync("INBOX"));
        var day = DateOnly.FromDateTime(TestClock.Yesterday.UtcDateTime);
        var stored = Assert.Single(await serve.Get<ReportLedger>().ListDaysAsync("serve-mailbox.example", day, day));
        Assert.Equal(spec.ReportId, stored.ReportId);
    }
}
