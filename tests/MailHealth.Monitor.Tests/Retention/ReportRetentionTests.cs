using MailHealth.Monitor.ReceiverReports;
using MailHealth.Monitor.Retention;
using MailHealth.Monitor.Tests.ReceiverReports;
using MailHealth.Monitor.Tests.Runs;
using MailHealth.Storage.Configuration;
using MailHealth.Storage.ReceiverReports;
using MailHealth.Testing;
using MailHealth.Testing.Reports;
using Microsoft.Extensions.Time.Testing;

namespace MailHealth.Monitor.Tests.Retention;

/// <summary>
/// Receivers' reports are kept <c>MailHealth:Ingestion:RetentionDays</c> (here 7), on Azurite: the
/// daily purge removes what is older, keeps what is not, and a purged report delivered again is
/// refused rather than counted again. The clock is the monitor's own, moved forward from now.
/// </summary>
public sealed class ReportRetentionTests : IAsyncLifetime
{
    private static readonly DateTimeOffset OldDay = TestClock.Yesterday;

    // Ten weeks on: the old report's month is wholly before the cut-off, whatever today's date.
    private static readonly TimeSpan Later = TimeSpan.FromDays(70);

    private readonly FakeTimeProvider _time = new(TestClock.Start);
    private MonitorHarness? _monitor;

    private MonitorHarness Monitor => _monitor!;

    public async Task InitializeAsync() =>
        _monitor = await MonitorHarness.StartAsync(new Dictionary<string, string?> { ["MailHealth:Ingestion:RetentionDays"] = "7" }, _time);

    public async Task DisposeAsync() => await Monitor.DisposeAsync();

    private Task<ReportInputRecord> IngestAsync(byte[] input) => Monitor.Get<ReportIngestion>().IngestAsync(input, ReportDoors.Cli, CancellationToken.None);

    private static AggregateReportSpec Report(string domain, DateTimeOffset day) => Reporters.Google(domain, day, AggregateRows.Mixed(domain, 6, 3));

    private static DateOnly DayOf(DateTimeOffset time) => DateOnly.FromDateTime(time.UtcDateTime);

    private static StoredSender Sender(string ip, DateOnly lastSeen) => new() { Ip = ip, Problem = "no PTR", FirstSeen = DayOf(OldDay), LastSeen = lastSeen };

    [Fact]
    public async Task Purge_RemovesReportsOlderThanTheRetention_KeepsTheRest_AndAPurgedReportIsNotCountedAgain()
    {
        await Monitor.AddTargetAsync("kept", "kept.example");
        var old = Report("kept.example", OldDay);
        var oldInput = await IngestAsync(Reporters.GoogleMessage(old));
        var goneInput = await IngestAsync(Reporters.GoogleMessage(Report("gone.example", OldDay)));
        // One input recorded as deployed tenants hold those from before the time index held whole records.
        var account = Monitor.Get<StorageAccount>();
        await OldLayoutInputs.RewriteAsync(account, goneInput.Input);
        _time.Advance(Later);
        var newDay = OldDay + Later - TimeSpan.FromDays(1);
        await IngestAsync(Reporters.GoogleMessage(Report("kept.example", newDay)));
        var totals = Monitor.Get<ReceiverTotalsReader>();
        var before = await totals.DmarcDaysAsync("kept", DayOf(OldDay), DayOf(newDay), CancellationToken.None);

        await Monitor.Get<RetentionService>().PurgeAsync(CancellationToken.None);

        Assert.Equal([DayOf(OldDay), DayOf(newDay)], before!.Select(d => d.Day));
        var after = await totals.DmarcDaysAsync("kept", DayOf(OldDay), DayOf(newDay), CancellationToken.None);
        Assert.Equal([DayOf(newDay)], after!.Select(d => d.Day));
        Assert.Empty((await totals.DmarcSourcesAsync("kept", DayOf(OldDay), CancellationToken.None))!);
        Assert.Equal(3, (await totals.DmarcSourcesAsync("kept", DayOf(newDay), CancellationToken.None))!.Count);
        // Nothing of the domain whose reports were all old is left, the domain index included.
        foreach (var table in new[] { StorageTables.DmarcSources, StorageTables.Reports })
        {
            await foreach (var row in account.Table(table).QueryAsync<Azure.Data.Tables.TableEntity>(_ => true))
            {
                Assert.DoesNotContain("gone.example", row.PartitionKey, StringComparison.Ordinal);
            }
        }

        Assert.Equal(["kept.example"], (await Monitor.Get<ReportDomainIndex>().ListAsync()).Select(d => d.Domain));
        // The old input is gone with its month: its record and its blob.
        Assert.Null(await Monitor.Get<ReportIngestion>().GetAsync(oldInput.Input, CancellationToken.None));
        Assert.False(await account.ReportContainer.GetBlobClient(ReportBlobStore.BlobName(oldInput.Input)).ExistsAsync());
        // Both layouts' records are gone, every row of them.
        Assert.Empty(await OldLayoutInputs.RowsAsync(account, oldInput.Input));
        Assert.Empty(await OldLayoutInputs.RowsAsync(account, goneInput.Input));

        // The purged report delivered again, in another container: refused, not counted again.
        var again = await IngestAsync(Reporters.MicrosoftMessage(old));

        var refused = Assert.Single(again.Reports);
        Assert.Equal(ReportOutcomeStatus.Invalid, refused.Status);
        Assert.Contains("before the 7 days reports are kept (MailHealth:Ingestion:RetentionDays)", refused.Reason, StringComparison.Ordinal);
        Assert.Equal([DayOf(newDay)], (await totals.DmarcDaysAsync("kept", DayOf(OldDay), DayOf(newDay), CancellationToken.None))!.Select(d => d.Day));
    }

    [Fact]
    public async Task Purge_Twice_RemovesNothingMore()
    {
        await Monitor.AddTargetAsync("twice", "twice.example");
        await IngestAsync(Reporters.GoogleMessage(Report("twice.example", OldDay)));
        _time.Advance(Later);
        var purge = Monitor.Get<ReportPurge>();
        var firstDayKept = ReportRetention.FirstDayKept(_time.GetUtcNow(), 7);
        // The report's three sources were named when it was stored; two more: one last seen before the cut-off, one seen since.
        var names = Monitor.Get<DmarcSenderStore>();
        await names.WriteAsync("twice.example", [Sender("198.51.100.8", DayOf(OldDay)), Sender("198.51.100.7", firstDayKept)]);

        var first = await purge.PurgeAsync(firstDayKept);
        var second = await purge.PurgeAsync(firstDayKept);

        // One row holds the report's three sources (packed), one day row, four names, the domain, the input.
        Assert.Equal((1, 1, 1, 4, 1, 1), (first.Reports, first.SourceRows, first.DayRows, first.Senders, first.Domains, first.Inputs));
        Assert.Equal(new ReportPurgeResult(), second);
        Assert.Equal(["198.51.100.7"], (await names.ListAsync("twice.example")).Select(n => n.Ip));
    }

    [Fact]
    public async Task Purge_RemovesTheOldBlobsNoRecordNames_AndKeepsARecentOne()
    {
        // Stored and never recorded: a command-line import that crashed between the two, never run again.
        var blobs = Monitor.Get<ReportBlobStore>();
        var orphan = await blobs.PutAsync(Reporters.GoogleMessage(Report("orphan.example", OldDay)), _time.GetUtcNow(), ReportDoors.Cli);
        _time.Advance(Later);
        // As it would be while its import runs: stored, not recorded yet.
        var recent = await blobs.PutAsync(Reporters.GoogleMessage(Report("recent.example", OldDay + Later)), _time.GetUtcNow(), ReportDoors.Cli);

        var purged = await Monitor.Get<ReportPurge>().PurgeAsync(ReportRetention.FirstDayKept(_time.GetUtcNow(), 7));

        Assert.Equal(1, purged.Inputs);
        var container = Monitor.Get<StorageAccount>().ReportContainer;
        Assert.False(await container.GetBlobClient(ReportBlobStore.BlobName(orphan.Input)).ExistsAsync());
        Assert.True(await container.GetBlobClient(ReportBlobStore.BlobName(recent.Input)).ExistsAsync());
        Assert.Equal(new ReportPurgeResult(), await Monitor.Get<ReportPurge>().PurgeAsync(ReportRetention.FirstDayKept(_time.GetUtcNow(), 7)));
    }

    [Fact]
    public async Task Purge_ForgetsTheDomainsAwaitingAFirstReport_ThatNoRunSawSinceTheCutOff()
    {
        var index = Monitor.Get<ReportDomainIndex>();
        var firstDayKept = ReportRetention.FirstDayKept(_time.GetUtcNow(), 7);
        // One target deleted long ago (its row last seen before the cut-off), one still watched.
        await index.AwaitedSinceAsync("deleted.example", "mailto:dmarc@mailbox.test", firstDayKept.AddDays(-3));
        await index.AwaitedSinceAsync("watched.example", "mailto:dmarc@mailbox.test", firstDayKept.AddDays(-3));
        await index.AwaitedSinceAsync("watched.example", "mailto:dmarc@mailbox.test", firstDayKept.AddDays(-1));
        await index.AwaitedSinceAsync("watched.example", "mailto:dmarc@mailbox.test", firstDayKept);

        var purged = await Monitor.Get<ReportPurge>().PurgeAsync(firstDayKept);

        Assert.Equal(1, purged.Awaited);
        var left = Monitor.Get<StorageAccount>().Table(StorageTables.ReportDomains).QueryAsync<Azure.Data.Tables.TableEntity>(r => r.PartitionKey == "awaited");
        Assert.Equal(["watched.example"], await left.Select(r => r.GetString("Domain")).ToListAsync());
        // Still watched: its count goes on from the first day.
        Assert.Equal(firstDayKept.AddDays(-3), await index.AwaitedSinceAsync("watched.example", "mailto:dmarc@mailbox.test", firstDayKept));
    }
}
