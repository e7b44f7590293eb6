using System.Globalization;
using MailHealth.Monitor.ReceiverReports;
using MailHealth.Monitor.Tests.Runs;
using MailHealth.Storage.Configuration;
using MailHealth.Storage.ReceiverReports;
using MailHealth.Testing;
using MailHealth.Testing.Reports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace MailHealth.Monitor.Tests.ReceiverReports;

/// <summary>
/// The sources of committed aggregate reports named and kept, against the peers: their reverse
/// zones of the documentation ranges and brand.senders.test's SPF record (two includes, an ip4
/// range, an a term, -all). Naming follows the commit and never costs the report its commit; what
/// a report's naming missed, a target's run names.
/// </summary>
public sealed class SenderNamingTests(IngestionHarness harness) : IClassFixture<IngestionHarness>
{
    private const string Brand = "brand.senders.test";

    private static DateOnly Day => IngestionHarness.DayOf(IngestionHarness.Day);

    /// <summary>Brand's report: an authorised provider, a forged name, an address without PTR, one authorised by an ip4 range; five messages each.</summary>
    private static AggregateReportSpec Report(string domain, DateTimeOffset day, string reportId)
    {
        var rows = new[] { "192.0.2.201", "192.0.2.204", "192.0.2.205", "198.51.100.220" }.Select(ip => new AggregateRow
        {
            SourceIp = ip,
            Count = "5",
            HeaderFrom = domain,
            Dkim = ip == "192.0.2.204" ? "fail" : "pass",
            Spf = ip == "192.0.2.204" ? "fail" : "pass",
        });
        return Reporters.Google(domain, day, rows) with { ReportId = reportId };
    }

    [Fact]
    public async Task CommittedReport_ItsSourcesAreNamed_AndListedWithTheirMessages()
    {
        await harness.Monitor.AddTargetAsync("brand", Brand);

        var record = await harness.IngestAsync(Reporters.GoogleMessage(Report(Brand, IngestionHarness.Day, "named-1")));

        Assert.Equal(ReportOutcomeStatus.Stored, Assert.Single(record.Reports).Status);
        var senders = (await harness.Totals.DmarcSendersAsync("brand", Day, Day, CancellationToken.None))!.ToDictionary(s => s.Ip);
        Assert.Equal(4, senders.Count);
        var provider = senders["192.0.2.201"];
        Assert.Equal(("o201.out.mailer.senders.test", true, "None"), (provider.PtrName, provider.Confirmed, provider.Problem));
        // Debian's list has no rule for .test: the default rule "*" makes senders.test the registrable domain.
        Assert.Equal("senders.test", provider.BaseDomain);
        Assert.Equal("include:_spf.mailer.senders.test", provider.AuthorisedBy);
        Assert.Equal("ip4:192.0.2.201", provider.SpfMechanism);
        Assert.Equal((5, 1.0, Day, Day), (provider.Messages, provider.PassShare, provider.FirstSeen, provider.LastSeen));
        Assert.Equal(("forged.mailer.senders.test", false, "Unconfirmed", null), (senders["192.0.2.204"].PtrName, senders["192.0.2.204"].Confirmed, senders["192.0.2.204"].Problem, senders["192.0.2.204"].BaseDomain));
        Assert.Equal(0.0, senders["192.0.2.204"].PassShare);
        Assert.Equal("fail", senders["192.0.2.204"].SpfResult);
        Assert.Null(senders["192.0.2.204"].AuthorisedBy);
        Assert.Equal(("NoPtr", null), (senders["192.0.2.205"].Problem, senders["192.0.2.205"].PtrName));
        Assert.Equal("ip4:198.51.100.220/30", senders["198.51.100.220"].AuthorisedBy);
    }

    [Fact]
    public async Task LaterReport_OfNamedSources_WidensTheirDays_WithoutNamingAgain()
    {
        const string domain = "again." + Brand;
        await harness.Monitor.AddTargetAsync("again", domain);
        await harness.IngestAsync(Reporters.GoogleMessage(Report(domain, IngestionHarness.Day, "again-1")));
        var first = (await harness.Totals.DmarcSendersAsync("again", Day, Day, CancellationToken.None))!.ToDictionary(s => s.Ip);

        await harness.IngestAsync(Reporters.GoogleMessage(Report(domain, IngestionHarness.Day.AddDays(-1), "again-2")));

        var both = (await harness.Totals.DmarcSendersAsync("again", Day.AddDays(-1), Day, CancellationToken.None))!;
        Assert.Equal(4, both.Count);
        Assert.All(both, s =>
        {
            Assert.Equal((Day.AddDays(-1), Day, 10.0), (s.FirstSeen, s.LastSeen, s.Messages));
            Assert.Equal(first[s.Ip].NamedAt, s.NamedAt);
        });
        // The four names packed into the bucket rows of their addresses, each written over, not added.
        Assert.Equal(
            both.Select(s => DmarcSenderStore.BucketRowKey(s.Ip)).Distinct().Order(StringComparer.Ordinal),
            (await harness.RowsAsync(StorageTables.DmarcSenders, domain)).Select(r => r.RowKey).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task CrashBetweenCommitAndNaming_TheReportCounts_AndTheTargetsRunNamesItsSources()
    {
        const string domain = "crash." + Brand;
        await harness.Monitor.AddTargetAsync("crash-naming", domain);
        var message = Reporters.GoogleMessage(Report(domain, IngestionHarness.Day, "crash-1"));
        await harness.IngestCrashingAtAsync(message, "committed");

        // The retry finds the report committed by this input: stored, and not named again.
        Assert.Equal(ReportOutcomeStatus.Stored, Assert.Single((await harness.IngestAsync(message)).Reports).Status);
        var unnamed = (await harness.Totals.DmarcSendersAsync("crash-naming", Day, Day, CancellationToken.None))!;
        Assert.Equal(4, unnamed.Count);
        Assert.All(unnamed, s => Assert.Null(s.NamedAt));
        Assert.Equal(20, unnamed.Sum(s => s.Messages));

        var named = await harness.Monitor.Get<DmarcSenderNaming>().NameDueAsync(domain, unnamed, CancellationToken.None);

        Assert.Equal(4, named);
        var senders = (await harness.Totals.DmarcSendersAsync("crash-naming", Day, Day, CancellationToken.None))!.ToDictionary(s => s.Ip);
        Assert.Equal("o201.out.mailer.senders.test", senders["192.0.2.201"].PtrName);
        Assert.All(senders.Values, s => Assert.NotNull(s.NamedAt));
        // Nothing is due now: a second sweep names nothing.
        Assert.Equal(0, await harness.Monitor.Get<DmarcSenderNaming>().NameDueAsync(domain, senders.Values, CancellationToken.None));
    }

    [Fact]
    public async Task SourceInAFullBucketOfNames_StaysUnnamed_WithAWarning_AndTheReportAndTheOthersAreKept()
    {
        const string domain = "full." + Brand;
        await using var monitor = await MonitorHarness.StartAsync(configure: s => s.AddLogging(l => l.AddFakeLogging()));
        await monitor.AddTargetAsync("full", domain);
        // The bucket of 192.0.2.205 filled by other addresses (2001:db8::/32) named before.
        var bucket = DmarcSenderStore.BucketRowKey("192.0.2.205");
        var others = Enumerable.Range(1, int.MaxValue)
            .Select(i => string.Create(CultureInfo.InvariantCulture, $"2001:db8::{i:x}"))
            .Where(ip => DmarcSenderStore.BucketRowKey(ip) == bucket)
            .Take(DmarcSenderStore.MaxNamesPerBucket)
            .Select(ip => new StoredSender { Ip = ip, Problem = "NoPtr", SpfResult = "none", NamedAt = TestClock.Start, FirstSeen = Day, LastSeen = Day });
        Assert.Empty((await monitor.Get<DmarcSenderStore>().WriteAsync(domain, others)).Refused);

        var record = await monitor.Get<ReportIngestion>().IngestAsync(Reporters.GoogleMessage(Report(domain, IngestionHarness.Day, "full-1")), ReportDoors.Cli, CancellationToken.None);

        Assert.Equal(ReportOutcomeStatus.Stored, Assert.Single(record.Reports).Status);
        var senders = (await monitor.Get<ReceiverTotalsReader>().DmarcSendersAsync("full", Day, Day, CancellationToken.None))!.ToDictionary(s => s.Ip);
        Assert.Equal(20, senders.Values.Sum(s => s.Messages));
        Assert.Null(senders["192.0.2.205"].NamedAt);
        Assert.All(senders.Values.Where(s => s.Ip != "192.0.2.205"), s => Assert.NotNull(s.NamedAt));
        var warning = Assert.Single(monitor.Services.GetFakeLogCollector().GetSnapshot(), l => l.Id.Id == 2802);
        Assert.Contains($"1 report sources of {domain} stay unnamed", warning.Message, StringComparison.Ordinal);

        // The target's next runs ask again for the refused address (it stays due) and say nothing new.
        Assert.Equal(0, await monitor.Get<DmarcSenderNaming>().NameDueAsync(domain, senders.Values, CancellationToken.None));
        Assert.Equal(0, await monitor.Get<DmarcSenderNaming>().NameDueAsync(domain, senders.Values, CancellationToken.None));
        Assert.Single(monitor.Services.GetFakeLogCollector().GetSnapshot(), l => l.Id.Id == 2802);
    }

    [Fact]
    public async Task NamingThatFails_NeverCostsTheReportItsCommit()
    {
        await using var monitor = await MonitorHarness.StartAsync(new Dictionary<string, string?>
        {
            ["MailHealth:SenderNaming:PublicSuffixListPath"] = "/nonexistent/public_suffix_list.dat",
        });
        await monitor.AddTargetAsync("broken", Brand);

        var record = await monitor.Get<ReportIngestion>().IngestAsync(Reporters.GoogleMessage(Report(Brand, IngestionHarness.Day, "broken-1")), ReportDoors.Cli, CancellationToken.None);

        Assert.Equal(ReportOutcomeStatus.Stored, Assert.Single(record.Reports).Status);
        var senders = (await monitor.Get<ReceiverTotalsReader>().DmarcSendersAsync("broken", Day, Day, CancellationToken.None))!;
        Assert.Equal(20, senders.Sum(s => s.Messages));
        Assert.All(senders, s => Assert.Null(s.NamedAt));
    }
}
